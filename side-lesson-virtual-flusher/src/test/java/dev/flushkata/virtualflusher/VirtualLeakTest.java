package dev.flushkata.virtualflusher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.flushkata.leakcheck.CheckThreadLeaks;
import dev.flushkata.plumbing.ProxyStats;
import dev.flushkata.testkit.Flushers;
import dev.flushkata.testkit.ProxyFixture;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** A virtual flusher leaks like lesson-01's platform one; only a view of virtual threads shows it. */
@CheckThreadLeaks(ignore = Flushers.JDK_CLIENT_THREADS)
class VirtualLeakTest {

    static final int N = 50;
    static final Duration INTERVAL = Duration.ofMillis(10);

    private ProxyFixture fx;

    @AfterEach
    void cleanUp() {
        if (fx != null) {
            fx.close();
        }
        VirtualFlushers.stopLeaked(); // the leak is the point; later tests must not inherit it
    }

    @Test
    void everyFinishedResponseLeavesAVirtualFlusherThatPlatformThreadCountsMiss() throws Exception {
        fx = ProxyFixture.start("virtual-flusher", ReverseProxy::new, INTERVAL);
        ProxyStats stats = fx.proxy().stats();
        int before = VirtualFlushers.count();

        for (int i = 0; i < N; i++) {
            assertThat(fx.get("/").body()).isEqualTo("hi");
        }
        await("every handler has finished its response").atMost(Duration.ofSeconds(30))
                .until(stats::responsesFinished, n -> n == N);
        await("a virtual flusher per finished response").atMost(Duration.ofSeconds(30))
                .until(() -> VirtualFlushers.count() - before, n -> n >= N);

        long late = stats.flushesAfterClose();
        await("five more rounds of flushes on finished responses").atMost(Duration.ofSeconds(30))
                .until(stats::flushesAfterClose, n -> n >= late + 5L * N);
        assertThat(VirtualFlushers.count() - before).as("virtual flushers alive several intervals later")
                .isGreaterThanOrEqualTo(N);
        assertThat(Flushers.count()).as("Thread.getAllStackTraces() lists platform threads only").isZero();
    }

    /** Not run on its own (nested); the test below runs it under the checker and reads the verdict. */
    @CheckThreadLeaks(ignore = Flushers.JDK_CLIENT_THREADS, lingerMillis = 500)
    static class OneRequest {
        @Test
        void getsOneResponse() throws Exception {
            try (ProxyFixture f = ProxyFixture.start("virtual-flusher", ReverseProxy::new, INTERVAL)) {
                assertThat(f.get("/").body()).isEqualTo("hi");
            }
        }
    }

    @Test
    void theLeakCheckerCatchesAndNamesTheVirtualFlusher() {
        Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(OneRequest.class)).execute()
                .testEvents();

        events.assertStatistics(s -> s.started(1).failed(1));
        Throwable failure = events.failed().stream().findFirst().orElseThrow()
                .getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
        // "thread(s)", not "1 thread(s)": on a busy machine a server thread may still be on its way out
        assertThat(failure).hasMessageContainingAll("thread(s) leaked by OneRequest.getsOneResponse()",
                "\"max-latency-flusher-", " virtual ", "dev.flushkata.virtualflusher.MaxLatencyWriter.flushLoop(")
                .hasMessageNotContaining("Not interrupted");
    }

    @Test
    void lesson02sTryFinallyStopCuresIt() throws Exception {
        fx = ProxyFixture.start("virtual-flusher-stopped", StoppingReverseProxy::new, INTERVAL);
        ProxyStats stats = fx.proxy().stats();

        for (int i = 0; i < N; i++) {
            assertThat(fx.get("/").body()).isEqualTo("hi");
        }
        await("every handler has finished its response").atMost(Duration.ofSeconds(30))
                .until(stats::responsesFinished, n -> n == N);
        await("every virtual flusher has ended").atMost(Duration.ofSeconds(30))
                .until(VirtualFlushers::count, n -> n == 0);
        assertThat(stats.flushesAfterClose()).as("no flush after stop() returned").isZero();
        // and the class's @CheckThreadLeaks finds nothing left after this test
    }
}
