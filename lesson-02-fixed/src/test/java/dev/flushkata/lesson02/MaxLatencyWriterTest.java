package dev.flushkata.lesson02;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.flushkata.leakcheck.CheckThreadLeaks;
import dev.flushkata.plumbing.ProxyStats;
import dev.flushkata.testkit.Flushers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** stop()'s promises, on the writer alone. */
@CheckThreadLeaks
class MaxLatencyWriterTest {

    /** Counts flushes. */
    static final class Destination extends ByteArrayOutputStream {
        final AtomicInteger flushes = new AtomicInteger();

        @Override
        public void flush() {
            flushes.incrementAndGet();
        }
    }

    private final ProxyStats stats = new ProxyStats("test").quiet();

    @Test
    void theFirstWriteStartsAFlusherThatFlushesUntilStopped() throws IOException {
        Destination dst = new Destination();
        MaxLatencyWriter w = new MaxLatencyWriter(dst, Duration.ofMillis(1), stats);
        int before = Flushers.count();

        w.write("hi".getBytes());
        await().atMost(Duration.ofSeconds(5)).until(() -> dst.flushes.get() >= 3);
        assertThat(Flushers.count()).isEqualTo(before + 1);

        w.stop();
        int flushesAtStop = dst.flushes.get();
        assertThat(Flushers.count()).as("stop() returns after the thread ended").isEqualTo(before);
        assertThat(w.flushOnce()).isFalse();
        assertThat(dst.flushes.get()).as("no flush after stop() returned").isEqualTo(flushesAtStop);
        assertThat(dst.toString()).isEqualTo("hi");
    }

    @Test
    void stopIsIdempotentAndSafeBeforeAnyWrite() {
        Destination dst = new Destination();
        MaxLatencyWriter w = new MaxLatencyWriter(dst, Duration.ofMillis(1), stats);

        w.stop();
        w.stop();

        assertThat(w.flushOnce()).isFalse();
        assertThat(dst.flushes.get()).isZero();
    }

    @Test
    void aWriteAfterStopReachesTheDestinationWithoutStartingAFlusher() throws IOException {
        Destination dst = new Destination();
        MaxLatencyWriter w = new MaxLatencyWriter(dst, Duration.ofMillis(1), stats);
        int before = Flushers.count();

        w.stop();
        w.write("late".getBytes());

        assertThat(dst.toString()).isEqualTo("late");
        assertThat(Flushers.count()).isEqualTo(before);
    }

    @Test
    void aFailedWriteStopsTheFlusherAndReportsTheFailure() throws IOException {
        OutputStream failing = new OutputStream() {
            int writes;

            @Override
            public void write(int b) throws IOException {
                if (++writes > 1) {
                    throw new IOException("broken pipe");
                }
            }
        };
        MaxLatencyWriter w = new MaxLatencyWriter(failing, Duration.ofMillis(1), stats);
        int before = Flushers.count();

        w.write('a');
        assertThat(Flushers.count()).isEqualTo(before + 1);
        assertThatThrownBy(() -> w.write('b')).hasMessage("broken pipe");
        assertThat(Flushers.count()).as("stopped by the failed write").isEqualTo(before);
    }
}
