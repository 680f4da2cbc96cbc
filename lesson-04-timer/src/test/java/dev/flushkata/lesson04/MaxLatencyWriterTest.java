package dev.flushkata.lesson04;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flushkata.leakcheck.CheckThreadLeaks;
import dev.flushkata.plumbing.ProxyStats;
import dev.flushkata.testkit.Deadlines;
import dev.flushkata.testkit.ManualScheduler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The timer writer's promises, on the writer alone. Lesson-03's WriterContract is about a flusher thread
 * (named, daemon, started by the first write, joined by stop()); this writer has none, so its contract is
 * about the delayed flushes it arms: one at a time, none after stop(). Most tests fire the timer by hand
 * (ManualScheduler), so they are exact and start no thread; the overlap and stop() checks also run on a
 * real timer.
 */
@CheckThreadLeaks
// A deadlocked stop() must fail the test, not hang the build: each test takes milliseconds.
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MaxLatencyWriterTest {

    static final Duration LATENCY = Duration.ofMillis(100);
    static final byte[] HI = "hi".getBytes(StandardCharsets.US_ASCII);

    private final ProxyStats stats = new ProxyStats("writer-test").quiet();
    private final ManualScheduler timer = new ManualScheduler();

    /** Counts flushes and the bytes each saw, and notices a write and a flush that overlap. */
    static class Destination extends ByteArrayOutputStream {
        final AtomicInteger flushes = new AtomicInteger();
        final AtomicBoolean overlapped = new AtomicBoolean();
        private final AtomicInteger inside = new AtomicInteger();
        volatile int flushedBytes;

        @Override
        public void write(byte[] b, int off, int len) {
            enter();
            super.write(b, off, len);
            leave();
        }

        @Override
        public void flush() throws IOException {
            enter();
            flushes.incrementAndGet();
            flushedBytes = size();
            leave();
        }

        private void enter() {
            if (inside.incrementAndGet() > 1) {
                overlapped.set(true);
            }
            for (int i = 0; i < 200; i++) {
                Thread.onSpinWait(); // a real write takes a while: room for another to overlap it
            }
        }

        private void leave() {
            inside.decrementAndGet();
        }
    }

    private MaxLatencyWriter writer(OutputStream dst, Duration latency) {
        return new MaxLatencyWriter(dst, latency, stats, timer, Runnable::run);
    }

    @Test
    @DisplayName("a new writer arms one delayed flush, for the headers, one latency away, and starts no thread")
    void aNewWriterArmsTheHeadersFlush() throws IOException {
        long started = startedThreads();
        Destination dst = new Destination();
        MaxLatencyWriter w = writer(dst, LATENCY);

        assertThat(timer.tasks()).singleElement().satisfies(t -> assertThat(t.delayNanos()).isEqualTo(LATENCY.toNanos()));
        timer.task(0).fire();
        assertThat(dst.flushes.get()).as("the headers' flush, with no body yet").isEqualTo(1);
        w.stop();
        assertThat(startedThreads() - started).as("threads started by a writer").isLessThan(5);
    }

    @Test
    @DisplayName("a one-byte write lands in the response and arms a delayed flush like any write")
    void aOneByteWriteLandsAndArms() throws IOException {
        Destination dst = new Destination();
        MaxLatencyWriter w = writer(dst, LATENCY);
        timer.task(0).fire();

        w.write('h');
        assertThat(dst.toString(StandardCharsets.US_ASCII)).isEqualTo("h");
        assertThat(timer.armed()).as("armed by the write").isEqualTo(1);
        timer.task(1).fire();
        assertThat(dst.flushedBytes).as("bytes the delayed flush took").isEqualTo(1);
        w.stop();
    }

    @Test
    @DisplayName("the first write after a flush arms exactly one; writes while it is pending arm nothing new")
    void oneDelayedFlushAtATime() throws IOException {
        Destination dst = new Destination();
        MaxLatencyWriter w = writer(dst, LATENCY);
        timer.task(0).fire();

        w.write(HI, 0, 2);
        assertThat(timer.armed()).as("armed by the first write").isEqualTo(1);
        for (int i = 0; i < 10; i++) {
            w.write(HI, 0, 2);
        }
        assertThat(timer.tasks()).as("tasks ever armed: the headers' and the first write's").hasSize(2);
        assertThat(timer.task(1).delayNanos()).isEqualTo(LATENCY.toNanos());

        timer.task(1).fire();
        assertThat(dst.flushes.get()).isEqualTo(2);
        assertThat(dst.flushedBytes).as("the delayed flush took every byte written meanwhile").isEqualTo(22);
        w.write(HI, 0, 2);
        assertThat(timer.tasks()).as("the next write after the flush arms again").hasSize(3);
        w.stop();
    }

    @Test
    @DisplayName("writes before the headers' flush fires ride on it")
    void writesBeforeTheFirstFlushRideOnIt() throws IOException {
        Destination dst = new Destination();
        MaxLatencyWriter w = writer(dst, LATENCY);
        w.write(HI, 0, 2);

        assertThat(timer.tasks()).hasSize(1);
        timer.task(0).fire();
        assertThat(dst.flushedBytes).isEqualTo(2);
        w.stop();
    }

    @Test
    @DisplayName("stop() cancels the pending flush, and no flush follows it")
    void stopCancelsThePendingFlush() throws IOException {
        Destination dst = new Destination();
        MaxLatencyWriter w = writer(dst, LATENCY);
        timer.task(0).fire();
        w.write(HI, 0, 2);

        w.stop();
        assertThat(timer.task(1).isCancelled()).as("the pending flush, once stop() returned").isTrue();
        assertThat(timer.fireAll()).as("flushes the timer would still run").isZero();
        assertThat(dst.flushes.get()).isEqualTo(1);
    }

    @Test
    @DisplayName("a delayed flush the timer had already started when stop() ran flushes nothing (Go's flushPending check)")
    void aDelayedFlushAlreadyStartedFindsTheWriterStopped() throws IOException {
        Destination dst = new Destination();
        MaxLatencyWriter w = writer(dst, LATENCY);
        w.write(HI, 0, 2);

        w.stop();
        w.delayedFlush(); // the timer's task, past cancel(): it had started before stop() took the lock
        assertThat(dst.flushes.get()).as("flushes after stop() returned").isZero();
    }

    @Test
    @DisplayName("a write after stop() reaches the response and arms nothing")
    void aWriteAfterStopArmsNothing() throws IOException {
        Destination dst = new Destination();
        MaxLatencyWriter w = writer(dst, LATENCY);
        w.stop();

        w.write(HI, 0, 2);
        assertThat(dst.toString(StandardCharsets.US_ASCII)).isEqualTo("hi");
        assertThat(timer.armed()).isZero();
        assertThat(timer.fireAll()).isZero();
        assertThat(dst.flushes.get()).isZero();
    }

    @Test
    @DisplayName("stop() twice, or before any write, is fine")
    void stopIsIdempotent() {
        Destination dst = new Destination();
        MaxLatencyWriter w = writer(dst, LATENCY);
        w.stop();
        w.stop();

        assertThat(timer.task(0).isCancelled()).isTrue();
        assertThat(timer.fireAll()).isZero();
        assertThat(dst.flushes.get()).isZero();
    }

    @Test
    @DisplayName("a negative latency flushes after every write and arms only the headers' flush, due at once")
    void aNegativeLatencyFlushesEveryWrite() throws IOException {
        Destination dst = new Destination();
        MaxLatencyWriter w = writer(dst, Duration.ofNanos(-1));

        assertThat(timer.task(0).delayNanos()).as("the headers' flush: at once").isZero();
        for (int i = 1; i <= 5; i++) {
            w.write(HI, 0, 2);
            assertThat(dst.flushes.get()).as("flushes after write %d", i).isEqualTo(i);
            assertThat(dst.flushedBytes).isEqualTo(2 * i);
        }
        assertThat(timer.tasks()).as("armed: the headers' flush only").hasSize(1);
        w.stop();
    }

    @Test
    @DisplayName("a failed flush is counted, delayed or after a write, and the writer goes on")
    void aFailedFlushIsCounted() throws IOException {
        AtomicInteger flushes = new AtomicInteger();
        OutputStream dst = new OutputStream() {
            @Override
            public void write(int b) {
            }

            @Override
            public void flush() throws IOException {
                flushes.incrementAndGet();
                throw new IOException("flush failed");
            }
        };
        long failuresBefore = stats.flushFailures();
        MaxLatencyWriter delayed = writer(dst, LATENCY);
        timer.task(0).fire();
        delayed.write(HI, 0, 2);
        timer.task(1).fire();
        delayed.write(HI, 0, 2);
        assertThat(timer.tasks()).as("after a failed flush the next write arms again").hasSize(3);
        delayed.stop();

        MaxLatencyWriter eager = new MaxLatencyWriter(dst, Duration.ofNanos(-1), stats, timer, Runnable::run);
        eager.write(HI, 0, 2);
        eager.stop();

        assertThat(flushes.get()).isEqualTo(3);
        assertThat(stats.flushFailures() - failuresBefore).as("failures counted").isEqualTo(3);
    }

    @Test
    @DisplayName("a failed write reaches the caller and arms nothing")
    void aFailedWriteArmsNothing() {
        OutputStream dst = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("broken pipe");
            }
        };
        MaxLatencyWriter w = writer(dst, LATENCY);
        timer.task(0).fire();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> w.write(HI, 0, 2)).hasMessage("broken pipe");
        assertThat(timer.tasks()).hasSize(1);
        w.stop();
    }

    @Test
    @DisplayName("on a real timer, writes and delayed flushes never overlap on the response")
    void writesAndFlushesTakeTurns() throws Exception {
        ScheduledThreadPoolExecutor real = new ScheduledThreadPoolExecutor(1);
        try {
            Destination dst = new Destination();
            MaxLatencyWriter w = new MaxLatencyWriter(dst, Duration.ofNanos(1_000), stats, real, real);
            // Writes until the timer has flushed 2,000 times in between: the count of chances is what makes an
            // overlap show on a busy machine, not the count of writes.
            long end = System.nanoTime() + Deadlines.FAULT_FREE.toNanos();
            while (dst.flushes.get() < 2_000 && !dst.overlapped.get() && System.nanoTime() - end < 0) {
                w.write(HI, 0, 2);
            }
            w.stop();
            assertThat(dst.flushes.get()).as("the timer flushed meanwhile").isPositive();
            assertThat(dst.overlapped.get()).as("a write and a flush overlapped on the response").isFalse();
        } finally {
            real.shutdownNow();
            real.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    @Test
    @DisplayName("on a real timer, no flush comes after stop() returns")
    void noFlushAfterStopOnARealTimer() throws Exception {
        for (int i = 0; i < 200; i++) {
            ScheduledThreadPoolExecutor real = new ScheduledThreadPoolExecutor(1);
            java.util.concurrent.ExecutorService flushes = java.util.concurrent.Executors.newCachedThreadPool();
            Destination dst = new Destination();
            MaxLatencyWriter w = new MaxLatencyWriter(dst, Duration.ofNanos(1_000), stats, real, flushes);
            w.write(HI, 0, 2);
            long spin = System.nanoTime() + java.util.concurrent.ThreadLocalRandom.current().nextLong(50_000);
            while (System.nanoTime() - spin < 0) {
                Thread.onSpinWait(); // stop() at a random point: before the timer fires, during, or after
            }
            w.stop();
            int atStop = dst.flushes.get();
            real.shutdown(); // runs every delayed flush still queued: a flush that escaped stop() would show
            assertThat(real.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            flushes.shutdown(); // and every one handed off
            assertThat(flushes.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            assertThat(dst.flushes.get()).as("try %d: flushes after stop() returned", i).isEqualTo(atStop);
        }
    }

    static long startedThreads() {
        return ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
    }
}
