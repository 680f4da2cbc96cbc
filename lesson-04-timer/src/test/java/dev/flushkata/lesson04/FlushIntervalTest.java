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
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Go's TestReverseProxyFlushInterval (5694ebf) in Java, on the timer design: there is no flush loop to
 * exit any more (lesson-03's onExitFlushLoop went with it), so what must end with each response is its
 * delayed flush, done or cancelled. RegressionTestsCatchTheLeakTest points these tests at lesson-01.
 */
@CheckThreadLeaks(ignore = Flushers.JDK_CLIENT_THREADS)
class FlushIntervalTest {

    static final Duration TINY = Duration.ofNanos(1_000); // Go's test used time.Microsecond
    static final int REQUESTS = 100;

    private final List<ReverseProxy> proxies = new CopyOnWriteArrayList<>();
    private ProxyFixture fx;

    /** The proxy under test, with the hook it was given. */
    ProxyFactory proxy(Consumer<OutputStream> beforeCopyResponse) {
        return (backend, flushInterval, stats) -> {
            ReverseProxy p = new ReverseProxy(backend, flushInterval, stats, beforeCopyResponse);
            proxies.add(p);
            return p;
        };
    }

    /** Delayed flushes armed and not yet done or cancelled, in the proxies made here. */
    int pendingFlushes() {
        return proxies.stream().mapToInt(ReverseProxy::pendingFlushes).sum();
    }

    /** How long a test waits for threads and timers to settle. */
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
        fx = ProxyFixture.start("flush-interval", proxy(seen::add), TINY);
        int before = Flushers.count();

        for (int i = 0; i < REQUESTS; i++) {
            RawHttp.Response res = RawHttp.exchange(fx.proxy().url(), RawHttp.get("/")); // Connection: close
            assertThat(res.bodyText()).as("response %d", i).isEqualTo("hi");
        }

        if (hasHooks()) {
            assertThat(seen).hasSize(REQUESTS).allMatch(MaxLatencyWriter.class::isInstance);
        }
        // Not one sample of the count (Go's first version, flaky): poll until it settles, with a deadline.
        await("flusher threads back to " + before + ", no delayed flush pending").atMost(deadline())
                .until(() -> Flushers.count() <= before && pendingFlushes() == 0);
    }

    @Test
    void everyDelayedFlushEndsWithItsResponse() throws Exception {
        fx = ProxyFixture.start("flush-interval", proxy(dst -> { }), TINY);
        int before = Flushers.count();

        assertThat(RawHttp.exchange(fx.proxy().url(), RawHttp.get("/")).bodyText()).isEqualTo("hi");

        await("a delayed flush or a flusher outlived its response").atMost(deadline())
                .until(() -> Flushers.count() <= before && pendingFlushes() == 0);
    }

    @Test
    void withoutAFlushIntervalTheCopyWritesToTheResponseItself() throws Exception {
        Queue<OutputStream> seen = new ConcurrentLinkedQueue<>();
        fx = ProxyFixture.start("no-flush-interval", proxy(seen::add), Duration.ZERO);

        assertThat(RawHttp.exchange(fx.proxy().url(), RawHttp.get("/")).bodyText()).isEqualTo("hi");

        if (hasHooks()) {
            assertThat(seen).as("\"hi\" has a Content-Length: no flush needed").singleElement()
                    .isInstanceOf(ResponseBody.class);
        }
    }
}
