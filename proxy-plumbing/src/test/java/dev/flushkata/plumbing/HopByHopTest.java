package dev.flushkata.plumbing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HopByHopTest {

    @Test
    void namesTheFixedListAndEveryHeaderNamedInConnection() {
        var names = HopByHop.namesIn(Map.of("Connection", List.of("close, X-One", " x-two ,,"), "X-Three", List.of("3")));

        assertThat(names).contains("connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade",
                "proxy-connection", "proxy-authenticate", "proxy-authorization", "close", "x-one", "x-two")
                .doesNotContain("x-three", "");
        assertThat(HopByHop.isHopByHop("X-ONE", names)).isTrue();
        assertThat(HopByHop.isHopByHop("X-Three", names)).isFalse();
    }

    @Test
    void joinsXForwardedForValues() {
        assertThat(BackendClient.forwardedFor(null, "127.0.0.1")).isEqualTo("127.0.0.1");
        assertThat(BackendClient.forwardedFor(List.of("a", "b"), "c")).isEqualTo("a, b, c");
    }
}
