package dev.flushkata.lesson04;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flushkata.leakcheck.CheckThreadLeaks;
import dev.flushkata.plumbing.ProxyStats;
import dev.flushkata.testkit.Flushers;
import dev.flushkata.testkit.Verdicts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** copyResponse and its hooks: when each hook runs, on which thread, and that nothing escapes stop(). */
@CheckThreadLeaks
// A deadlocked stop() must fail the test, not hang the build: each test takes milliseconds.
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CopyResponseHooksTest {

    static final Duration INTERVAL = Duration.ofMillis(1);

    private final ProxyStats stats = new ProxyStats("hooks").quiet();
    private final Queue<Thread> exits = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean copyOver = new AtomicBoolean();

    /** A proxy with only what copyResponse uses: the interval, the stats and the hooks. */
    private ReverseProxy proxy(Consumer<OutputStream> beforeCopyResponse) {
        return new ReverseProxy(null, INTERVAL, stats, beforeCopyResponse, () -> {
            exits.add(Thread.currentThread());
            assertThat(copyOver).as("the copy was over when the loop exited").isTrue();
        });
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

    /** "hi", then, before its end, waits for a flush: the flusher has surely run during the copy. */
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
                copyOver.set(true);
                return -1;
            }
        };
    }

    @Test
    @DisplayName("the exit hook runs once, on the flusher thread, after the copy and before copyResponse returns")
    void theExitHookRunsOnTheFlusherAfterTheCopy() throws IOException {
        Response dst = new Response();

        proxy(d -> { }).copyResponse(dst, backendBody(dst));

        assertThat(exits).as("exit hook runs, when copyResponse has returned").hasSize(1);
        assertThat(exits.peek()).as("the thread that ran the exit hook").isSameAs(dst.flusher);
        assertThat(exits.peek().getName()).startsWith(Flushers.PREFIX);
        assertThat(dst.toString()).isEqualTo("hi");
    }

    @Test
    @DisplayName("an empty body starts no flusher")
    void anEmptyBodyStartsNoFlusher() throws IOException {
        copyOver.set(true);
        Response dst = new Response();

        proxy(d -> { }).copyResponse(dst, InputStream.nullInputStream());

        assertThat(exits).as("flush loops that ran for an empty body").isEmpty();
        assertThat(dst.flushes.get()).isZero();
    }

    @Test
    @DisplayName("a beforeCopyResponse hook that writes and throws still leaves no flusher running")
    void aThrowingHookStillStopsTheFlusher() {
        copyOver.set(true);
        int before = Flushers.count();
        Response dst = new Response();
        ReverseProxy p = proxy(d -> {
            try {
                d.write('!'); // the flusher starts
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            throw new IllegalStateException("the hook failed");
        });

        assertThatThrownBy(() -> p.copyResponse(dst, InputStream.nullInputStream())).hasMessage("the hook failed");
        assertThat(Flushers.count()).as("flushers once copyResponse has returned").isEqualTo(before);
        assertThat(exits).hasSize(1);
    }

    @Test
    @DisplayName("the hook sees the MaxLatencyWriter when there is a flush interval")
    void theHookSeesTheWriter() throws IOException {
        copyOver.set(true);
        Queue<OutputStream> seen = new ConcurrentLinkedQueue<>();

        proxy(seen::add).copyResponse(new Response(), InputStream.nullInputStream());

        assertThat(seen).singleElement().isInstanceOf(MaxLatencyWriter.class);
    }
}
