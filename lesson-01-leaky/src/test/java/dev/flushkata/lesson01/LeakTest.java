package dev.flushkata.lesson01;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flushkata.leakcheck.CheckThreadLeaks;
import dev.flushkata.plumbing.ProxyStats;
import dev.flushkata.testkit.Deadlines;
import dev.flushkata.testkit.Flushers;
import dev.flushkata.testkit.ProxyFixture;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Proves the bug: every finished response leaves a flusher behind, flushing it forever. */
@CheckThreadLeaks(ignore = Flushers.JDK_CLIENT_THREADS)
class LeakTest {

    static final int N = 50;
    static final Duration INTERVAL = Duration.ofMillis(10);

    private ProxyFixture fx;

    @AfterEach
    void cleanUp() {
        if (fx != null) {
            fx.close();
        }
        Flushers.stopLeaked(); // the leak is the point; later tests must not inherit it
    }

    @Test
    void everyFinishedResponseLeavesItsFlusherRunningAndFlushing() throws Exception {
        fx = ProxyFixture.start("leaky", ReverseProxy::new, INTERVAL);
        ProxyStats stats = fx.proxy().stats();
        int before = Flushers.count();

        for (int i = 0; i < N; i++) {
            assertThat(fx.get("/").body()).isEqualTo("hi");
        }
        await("every handler has finished its response").atMost(Deadlines.FAULT_FREE)
                .until(stats::responsesFinished, n -> n == N);
        assertThat(Flushers.count() - before).as(ExerciseIsRedTest.LEAKY_ON_PURPOSE + "flushers alive after %d finished responses", N)
                .isGreaterThanOrEqualTo(N);

        long late = stats.flushesAfterClose();
        await(String.format(ExerciseIsRedTest.LEAKY_ON_PURPOSE) + "five more rounds of flushes on finished responses").atMost(Deadlines.FAULT_FREE)
                .until(stats::flushesAfterClose, n -> n >= late + 5L * N);
        assertThat(Flushers.count() - before).as(ExerciseIsRedTest.LEAKY_ON_PURPOSE + "flushers alive several intervals later")
                .isGreaterThanOrEqualTo(N);
        assertThat(stats.flushFailures()).as(ExerciseIsRedTest.LEAKY_ON_PURPOSE + "the loops saw their flushes fail").isGreaterThanOrEqualTo(5L * N);
    }

    @Test
    void aFailedWriteIsTheOnlyThingThatStopsAFlusher() throws Exception {
        fx = ProxyFixture.start("leaky", ReverseProxy::new, INTERVAL);
        int before = Flushers.count();
        try (Socket s = new Socket(fx.proxy().url().getHost(), fx.proxy().url().getPort())) {
            s.getOutputStream().write(("GET /stream?chunks=500&size=1000&delayMs=10 HTTP/1.1\r\nHost: x\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            assertThat(in.readNBytes(2000)).hasSize(2000);
            assertThat(Flushers.count()).as("a flusher while streaming").isGreaterThan(before);
            s.setSoLinger(true, 0); // reset: the proxy's next write fails
        }

        await("the failed write stops the flusher").atMost(Deadlines.FAULT_FREE)
                .until(Flushers::count, n -> n == before);
    }
}
