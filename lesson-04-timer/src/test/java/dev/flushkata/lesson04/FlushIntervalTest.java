package dev.flushkata.lesson04;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flushkata.leakcheck.CheckThreadLeaks;
import dev.flushkata.plumbing.ProxyFactory;
import dev.flushkata.plumbing.ResponseBody;
import dev.flushkata.testkit.Deadlines;
import dev.flushkata.testkit.Flushers;
import dev.flushkata.testkit.ProxyFixture;
import dev.flushkata.testkit.RawHttp;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Go's TestReverseProxyFlushInterval (5694ebf) and its follow-up (a6d4471b), in Java: the tests this
 * lesson's hooks exist for. RegressionTestsCatchTheLeakTest points them at lesson-01 and sees them fail.
 */
@CheckThreadLeaks(ignore = Flushers.JDK_CLIENT_THREADS)
class FlushIntervalTest {

    static final Duration TINY = Duration.ofNanos(1_000); // Go's test used time.Microsecond
    static final int REQUESTS = 100;

    private ProxyFixture fx;

    /** The proxy under test, with the hooks it was given. */
    ProxyFactory proxy(Consumer<OutputStream> beforeCopyResponse, Runnable onExitFlushLoop) {
        return (backend, flushInterval, stats) ->
                new ReverseProxy(backend, flushInterval, stats, beforeCopyResponse, onExitFlushLoop);
    }

    /** How long a test waits for threads to settle or a flusher to exit. */
    Duration deadline() {
        return Deadlines.FAULT_FREE;
    }

    /** False for a design that has no hooks to call. */
    boolean hasHooks() {
        return true;
    }

    @AfterEach
    void close() {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void everyRequestCopiesThroughAMaxLatencyWriterAndNoFlusherStays() throws Exception {
        Queue<OutputStream> seen = new ConcurrentLinkedQueue<>();
        fx = ProxyFixture.start("flush-interval", proxy(seen::add, () -> { }), TINY);
        int before = Flushers.count();

        for (int i = 0; i < REQUESTS; i++) {
            RawHttp.Response res = RawHttp.exchange(fx.proxy().url(), RawHttp.get("/")); // Connection: close
            assertThat(res.bodyText()).as("response %d", i).isEqualTo("hi");
        }

        if (hasHooks()) {
            assertThat(seen).hasSize(REQUESTS).allMatch(MaxLatencyWriter.class::isInstance);
        }
        // Not one sample of the count (Go's first version, flaky): poll until it settles, with a deadline.
        await("flusher threads back to " + before).atMost(deadline())
                .until(Flushers::count, n -> n <= before);
    }

    @Test
    void everyFlushLoopExits() throws Exception {
        CountDownLatch exited = new CountDownLatch(1);
        fx = ProxyFixture.start("flush-interval", proxy(dst -> { }, exited::countDown), TINY);

        assertThat(RawHttp.exchange(fx.proxy().url(), RawHttp.get("/")).bodyText()).isEqualTo("hi");

        assertThat(exited.await(deadline().toMillis(), TimeUnit.MILLISECONDS)).as("flushLoop() never exited").isTrue();
    }

    @Test
    void withoutAFlushIntervalTheCopyWritesToTheResponseItself() throws Exception {
        Queue<OutputStream> seen = new ConcurrentLinkedQueue<>();
        fx = ProxyFixture.start("no-flush-interval", proxy(seen::add, () -> { }), Duration.ZERO);

        assertThat(RawHttp.exchange(fx.proxy().url(), RawHttp.get("/")).bodyText()).isEqualTo("hi");

        if (hasHooks()) {
            assertThat(seen).singleElement().isInstanceOf(ResponseBody.class);
        }
    }
}
