package dev.flushkata.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class ReadyLineTest {

    @Test
    void aProxysReadyLineGivesItsUrlAndPid() {
        ReadyLine r = ReadyLine.parse("lesson-02-fixed proxy listening on http://127.0.0.1:8082 -> http://127.0.0.1:9000"
                + " (flush interval 100ms, pid 48213)");

        assertThat(r.url()).isEqualTo(URI.create("http://127.0.0.1:8082"));
        assertThat(r.pid()).hasValue(48213);
        assertThat(r.loopback()).isTrue();
    }

    @Test
    void theBackendsReadyLineHasNoPid() {
        ReadyLine r = ReadyLine.parse("streaming backend listening on http://127.0.0.1:9000");

        assertThat(r.url()).isEqualTo(URI.create("http://127.0.0.1:9000"));
        assertThat(r.pid()).isEmpty();
    }

    @Test
    void otherLinesAreNotReadyLines() {
        assertThat(ReadyLine.parse("[0.412s][info][jfr,startup] Started recording 1.")).isNull();
        assertThat(ReadyLine.parse("OpenJDK 64-Bit Server VM warning: Options -Xverify:none are deprecated")).isNull();
    }

    @Test
    void aServerElsewhereThanLoopbackIsNotLoaded() {
        assertThat(ReadyLine.parse("proxy listening on http://0.0.0.0:8080 -> x (flush interval 0, pid 1)").loopback())
                .isFalse();
    }
}
