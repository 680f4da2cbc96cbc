package dev.flushkata.lesson04;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flushkata.leakcheck.CheckThreadLeaks;
import dev.flushkata.plumbing.BackendResponse;
import dev.flushkata.plumbing.ProxyStats;
import dev.flushkata.testkit.Flushers;
import dev.flushkata.testkit.Verdicts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * copyResponse, its hook and the interval it is given: when flushes happen, on which thread, that nothing
 * is left armed once it returns, and which interval each backend response gets (Go's flushInterval(res)).
 */
@CheckThreadLeaks
// A deadlocked stop() must fail the test, not hang the build: each test takes milliseconds.
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CopyResponseHooksTest {

    static final Duration INTERVAL = Duration.ofMillis(1);

    private final ProxyStats stats = new ProxyStats("hooks").quiet();
    private ReverseProxy proxy;

    /** A proxy with only what copyResponse uses: the stats, the hook and its timer. */
    private ReverseProxy proxy(Consumer<OutputStream> beforeCopyResponse, Duration flushInterval) {
        proxy = new ReverseProxy(null, flushInterval, stats, beforeCopyResponse);
        return proxy;
    }

    @AfterEach
    void closeProxy() {
        if (proxy != null) {
            proxy.destroy();
        }
    }

    /** Counts flushes and remembers the flushing thread. */
    static final class Response extends ByteArrayOutputStream {
        final AtomicInteger flushes = new AtomicInteger();
        volatile Thread flusher;

        @Override
        public void flush() {
            flusher = Thread.currentThread();
            flushes.incrementAndGet();
        }
    }

    /** "hi", then, before its end, waits for a flush: the timer has surely fired during the copy. */
    private InputStream backendBody(Response dst) {
        return new InputStream() {
            private boolean sent;

            @Override
            public int read() {
                throw new UnsupportedOperationException("the copy reads in blocks");
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (!sent) {
                    sent = true;
                    b[off] = 'h';
                    b[off + 1] = 'i';
                    return 2;
                }
                Verdicts.awaitQuietly("a flush during the copy", () -> dst.flushes.get() > 0);
                return -1;
            }
        };
    }

    @Test
    @DisplayName("a slow copy is flushed by a flush thread the proxy's timer hands it to, no flusher thread, and nothing stays armed")
    void aSlowCopyIsFlushedByTheTimer() throws IOException {
        Response dst = new Response();

        proxy(d -> { }, INTERVAL).copyResponse(dst, backendBody(dst), INTERVAL);

        assertThat(dst.flusher.getName()).as("the thread that flushed").startsWith("max-latency-flush-");
        assertThat(Flushers.count()).isZero();
        assertThat(proxy.pendingFlushes()).as("delayed flushes left once copyResponse returned").isZero();
        assertThat(dst.toString()).isEqualTo("hi");
    }

    @Test
    @DisplayName("an empty body's header flush is cancelled when the copy ends")
    void anEmptyBodyLeavesNothingArmed() throws IOException {
        Response dst = new Response();

        proxy(d -> { }, Duration.ofHours(1)).copyResponse(dst, InputStream.nullInputStream(), Duration.ofHours(1));

        assertThat(proxy.pendingFlushes()).isZero();
        assertThat(dst.flushes.get()).isZero();
    }

    @Test
    @DisplayName("a beforeCopyResponse hook that writes and throws still leaves nothing armed")
    void aThrowingHookStillStopsTheWriter() {
        Response dst = new Response();
        ReverseProxy p = proxy(d -> {
            try {
                d.write('!');
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            throw new IllegalStateException("the hook failed");
        }, Duration.ofHours(1));

        assertThatThrownBy(() -> p.copyResponse(dst, InputStream.nullInputStream(), Duration.ofHours(1)))
                .hasMessage("the hook failed");
        assertThat(p.pendingFlushes()).as("delayed flushes once copyResponse has returned").isZero();
    }

    @Test
    @DisplayName("the hook sees the MaxLatencyWriter when there is a flush interval, negative too")
    void theHookSeesTheWriter() throws IOException {
        Queue<OutputStream> seen = new ConcurrentLinkedQueue<>();
        ReverseProxy p = proxy(seen::add, INTERVAL);

        p.copyResponse(new Response(), InputStream.nullInputStream(), INTERVAL);
        p.copyResponse(new Response(), InputStream.nullInputStream(), Duration.ofNanos(-1));
        p.copyResponse(new Response(), InputStream.nullInputStream(), Duration.ZERO);

        assertThat(seen).hasSize(3);
        assertThat(seen).element(0).isInstanceOf(MaxLatencyWriter.class);
        assertThat(seen).element(1).isInstanceOf(MaxLatencyWriter.class);
        assertThat(seen).element(2).isInstanceOf(Response.class);
    }

    @Test
    @DisplayName("each response's interval: the proxy's with a Content-Length; after every write for SSE or unknown length")
    void eachResponseGetsItsInterval() {
        Duration every = Duration.ofNanos(-1);
        Duration ms100 = Duration.ofMillis(100);
        ReverseProxy p = proxy(d -> { }, ms100);
        ReverseProxy zero = new ReverseProxy(null, Duration.ZERO, stats);
        try {
            assertThat(p.flushInterval(response("Content-Length", "2"))).isEqualTo(ms100);
            assertThat(zero.flushInterval(response("Content-Length", "2"))).as("0 still means never").isZero();
            assertThat(p.flushInterval(response())).as("unknown length").isEqualTo(every);
            assertThat(zero.flushInterval(response())).as("unknown length, interval 0").isEqualTo(every);
            assertThat(zero.flushInterval(response("Content-Length", "5", "Content-Type", "text/event-stream")))
                    .as("server-sent events").isEqualTo(every);
            assertThat(p.flushInterval(response("Content-Length", "5", "Content-Type", "Text/Event-Stream; charset=utf-8")))
                    .as("server-sent events, with a parameter").isEqualTo(every);
            assertThat(p.flushInterval(response("Content-Length", "5", "Content-Type", "text/plain")))
                    .isEqualTo(ms100);
        } finally {
            zero.destroy();
        }
    }

    @Test
    @DisplayName("the timer and the flush threads are daemons: a proxy's flushes never keep a program alive")
    void theProxysThreadsAreDaemons() throws IOException {
        Response dst = new Response();

        proxy(d -> { }, INTERVAL).copyResponse(dst, backendBody(dst), INTERVAL);

        assertThat(dst.flusher.isDaemon()).as("the flush thread is a daemon").isTrue();
        assertThat(dev.flushkata.leakcheck.Threads.live()).filteredOn(t -> t.getName().startsWith("max-latency-timer-"))
                .as("timer threads").isNotEmpty().allSatisfy(t -> assertThat(t.isDaemon()).as(t.getName()).isTrue());
    }

    @Test
    @DisplayName("pendingFlushes counts a flush armed and a flush running; destroy() keeps an interrupt and ends the threads")
    void pendingFlushesAndDestroy() throws Exception {
        java.util.concurrent.CountDownLatch inFlush = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean release = new java.util.concurrent.atomic.AtomicBoolean();
        OutputStream stuck = new ByteArrayOutputStream() {
            @Override
            public void flush() {
                inFlush.countDown();
                while (!release.get()) { // a client that does not read: no interrupt ends this flush
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                }
            }
        };
        java.util.concurrent.atomic.AtomicInteger pendingInHook = new java.util.concurrent.atomic.AtomicInteger(-1);
        ReverseProxy p = proxy(d -> pendingInHook.set(proxy.pendingFlushes()), INTERVAL);
        p.copyResponse(new Response(), InputStream.nullInputStream(), Duration.ofHours(1));
        assertThat(pendingInHook.get()).as("delayed flushes while the copy runs: the headers' flush, armed").isEqualTo(1);

        // A copy whose header flush blocks on a client that does not read, until release.
        Thread copy = new Thread(() -> {
            try {
                p.copyResponse(stuck, new InputStream() {
                    @Override
                    public int read() {
                        Verdicts.awaitQuietly("released", release::get);
                        return -1;
                    }
                }, INTERVAL);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, "stuck-copy");
        copy.start();
        assertThat(inFlush.await(30, TimeUnit.SECONDS)).as("the flush started").isTrue();
        assertThat(p.pendingFlushes()).as("delayed flushes: one running").isEqualTo(1);

        Thread.currentThread().interrupt();
        try {
            p.destroy(); // its wait for the stuck flush is interrupted at once
            assertThat(Thread.interrupted()).as("the interrupt, kept for the caller").isTrue();
        } finally {
            release.set(true);
            copy.join(30_000);
        }
        Verdicts.awaitQuietly("the flush threads end after destroy()", () -> dev.flushkata.leakcheck.Threads.live()
                .stream().noneMatch(t -> t.getName().startsWith("max-latency-flush-")
                        || t.getName().startsWith("max-latency-timer-")));
    }

    /** A backend response with these headers (name, value, ...) and no body. */
    static BackendResponse response(String... nameValues) {
        Map<String, List<String>> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            map.put(nameValues[i], List.of(nameValues[i + 1]));
        }
        return BackendResponse.of(200, map, InputStream.nullInputStream());
    }
}
