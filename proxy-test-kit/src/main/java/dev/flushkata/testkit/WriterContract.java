package dev.flushkata.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.flushkata.leakcheck.CheckThreadLeaks;
import dev.flushkata.plumbing.ProxyStats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fixed writer's promises, on the writer alone, with real flusher threads: what stop() guarantees
 * (no flush after it returns, its thread ended, the caller's interrupt kept, twice is fine), what the
 * flusher is (named, daemon, started by the first write only), and what a failure does (a failed write
 * stops it without deadlock, a failed flush is counted). Every fixed lesson runs it. Repeated checks
 * repeat because a wrong version fails them only most of the time; a right one never does.
 */
@CheckThreadLeaks
// A deadlocked stop() must fail the test, not hang the build: each test takes milliseconds.
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public abstract class WriterContract {

    static final Duration LATENCY = Duration.ofMillis(1);
    static final int TRIES = 20;
    static final byte[] HI = "hi".getBytes(StandardCharsets.US_ASCII);

    /** The lesson's writer, as its tests see it. */
    protected interface Writer {
        void write(byte[] b) throws IOException;

        /** The one-byte write(int), which a copy may use too. */
        void writeByte(int b) throws IOException;

        void stop();

        /** One tick of the flush loop: true if it flushed. */
        boolean flushOnce();
    }

    /** A new writer of the lesson around dst. */
    protected abstract Writer writer(OutputStream dst, Duration latency, ProxyStats stats);

    protected final ProxyStats stats = new ProxyStats("writer-test").quiet();

    /** Counts flushes, remembers the flushing thread, and notices a write and a flush that overlap. */
    static class Destination extends ByteArrayOutputStream {
        final AtomicInteger flushes = new AtomicInteger();
        final AtomicBoolean overlapped = new AtomicBoolean();
        private final AtomicInteger inside = new AtomicInteger();
        volatile Thread flusher;

        @Override
        public void write(byte[] b, int off, int len) {
            enter();
            super.write(b, off, len);
            leave();
        }

        @Override
        public void flush() throws IOException {
            enter();
            flusher = Thread.currentThread();
            flushes.incrementAndGet();
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

    @Test
    @DisplayName("the first write starts one named daemon flusher; stop() returns once it has ended, and no flush follows")
    void theFirstWriteStartsANamedDaemonFlusherThatStopEnds() throws IOException {
        for (int i = 0; i < TRIES; i++) {
            Destination dst = new Destination();
            Writer w = writer(dst, LATENCY, stats);
            Thread flusher = firstWrite(w);
            Verdicts.awaitQuietly("the flusher flushes", () -> dst.flushes.get() >= 2);
            assertThat(dst.flusher).as("the thread that flushes").isSameAs(flusher);
            assertThat(flusher.isDaemon()).as("a daemon, as goroutines never keep a program alive").isTrue();

            w.stop();
            int flushesAtStop = dst.flushes.get();
            assertThat(flusher.isAlive()).as("try %d: the flusher still ran when stop() returned", i).isFalse();
            assertThat(w.flushOnce()).as("a tick after stop()").isFalse();
            assertThat(dst.flushes.get()).as("flushes after stop() returned").isEqualTo(flushesAtStop);
            assertThat(dst.toString(StandardCharsets.US_ASCII)).isEqualTo("hi");
        }
    }

    @Test
    @DisplayName("a tick of the flush loop flushes until stop()")
    void aTickFlushesUntilStopped() throws IOException {
        Destination dst = new Destination();
        Writer w = writer(dst, Duration.ofHours(1), stats); // the loop itself never ticks here

        w.write(HI);
        int before = dst.flushes.get();
        assertThat(w.flushOnce()).isTrue();
        assertThat(dst.flushes.get()).isEqualTo(before + 1);
        w.stop();
        assertThat(w.flushOnce()).isFalse();
    }

    @Test
    @DisplayName("stop() twice, or before any write, is fine and starts nothing")
    void stopIsIdempotentAndSafeBeforeAnyWrite() {
        long started = startedThreads();
        for (int i = 0; i < 100; i++) {
            Destination dst = new Destination();
            Writer w = writer(dst, LATENCY, stats);
            w.stop();
            w.stop();
            assertThat(w.flushOnce()).isFalse();
            assertThat(dst.flushes.get()).isZero();
        }
        // A flusher per writer would be 100 threads; other threads of the JVM may start now and then.
        assertThat(startedThreads() - started).as("threads started by 100 writers that were never written to")
                .isLessThan(50);
    }

    @Test
    @DisplayName("a write after stop() reaches the response and starts no flusher")
    void aWriteAfterStopStartsNoFlusher() throws IOException {
        long started = startedThreads();
        for (int i = 0; i < 100; i++) {
            Destination dst = new Destination();
            Writer w = writer(dst, LATENCY, stats);
            w.stop();
            w.write(HI);
            assertThat(dst.toString(StandardCharsets.US_ASCII)).isEqualTo("hi");
        }
        assertThat(startedThreads() - started).as("threads started by 100 writes after stop()").isLessThan(50);
    }

    @Test
    @DisplayName("writes and flushes never overlap on the response")
    void writesAndFlushesTakeTurns() throws IOException {
        Destination dst = new Destination();
        Writer w = writer(dst, Duration.ofNanos(1_000), stats);
        // Writes until the flusher has flushed 5,000 times in between: on a busy machine the two threads
        // share a core less often, so the count of chances, not of writes, is what makes an overlap show.
        long end = System.nanoTime() + Deadlines.FAULT_FREE.toNanos();
        while (dst.flushes.get() < 5_000 && !dst.overlapped.get() && System.nanoTime() - end < 0) {
            w.write(HI);
        }
        w.stop();
        assertThat(dst.flushes.get()).as("the flusher flushed meanwhile").isPositive();
        assertThat(dst.overlapped.get()).as("a write and a flush overlapped on the response").isFalse();
    }

    @Test
    @DisplayName("a failed write stops the flusher at once, and the failure reaches the caller")
    void aFailedWriteStopsTheFlusher() throws IOException {
        Destination ok = new Destination();
        AtomicBoolean broken = new AtomicBoolean();
        OutputStream dst = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                if (broken.get()) {
                    throw new IOException("broken pipe");
                }
                ok.write(b);
            }
        };
        Writer w = writer(dst, LATENCY, stats);
        Thread flusher = firstWrite(w);

        broken.set(true);
        assertThatThrownBy(() -> w.writeByte('!')).hasMessage("broken pipe");
        assertThat(flusher.isAlive()).as("the flusher, once the failed write returned").isFalse();
    }

    @Test
    @DisplayName("a write that fails while the flusher waits for the lock does not deadlock")
    void aFailedWriteOnASlowResponseDoesNotDeadlock() throws Exception {
        AtomicBoolean slow = new AtomicBoolean();
        Thread[] flusher = new Thread[1];
        OutputStream dst = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                if (slow.get()) {
                    // The flusher's next tick now waits for the lock this write holds: then the write fails.
                    await().atMost(Deadlines.FAULT_FREE).until(() -> flusher[0].getState() == Thread.State.BLOCKED);
                    throw new IOException("broken pipe");
                }
            }
        };
        Writer w = writer(dst, LATENCY, stats);
        flusher[0] = firstWrite(w);

        slow.set(true);
        Object failed = Deadlines.within(Deadlines.FAULT_FREE, () -> {
            try {
                w.write(HI);
                return "no failure";
            } catch (IOException e) {
                return e;
            }
        });
        assertThat(failed).isInstanceOf(IOException.class);
        assertThat(flusher[0].isAlive()).isFalse();
    }

    @Test
    @DisplayName("a failed flush is counted, and the flusher goes on")
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
        Writer w = writer(dst, LATENCY, stats);
        long failuresBefore = stats.flushFailures();

        w.write(HI);
        Verdicts.awaitQuietly("two failed flushes", () -> flushes.get() >= 2);
        w.stop();
        assertThat(stats.flushFailures() - failuresBefore).as("failures counted").isEqualTo(flushes.get());
    }

    @Test
    @DisplayName("stop() keeps the caller's interrupt flag")
    void stopKeepsTheCallersInterrupt() throws IOException {
        for (int i = 0; i < TRIES; i++) {
            Destination dst = new Destination();
            Writer w = writer(dst, LATENCY, stats);
            Thread flusher = firstWrite(w);

            Thread.currentThread().interrupt(); // a handler interrupted while it copies: its server is stopping
            w.stop();
            assertThat(Thread.interrupted()).as("try %d: the interrupt, after stop()", i).isTrue();
            assertThat(flusher.isAlive()).as("try %d: the flusher, after an interrupted stop()", i).isFalse();
        }
    }

    /** Writes to w for the first time and returns the one flusher thread the write started. */
    static Thread firstWrite(Writer w) throws IOException {
        List<Thread> before = Flushers.live();
        w.write(HI);
        return newFlusher(before);
    }

    /** The one flusher thread that was not alive before. */
    static Thread newFlusher(List<Thread> before) {
        List<Thread> now = new ArrayList<>(Flushers.live());
        now.removeAll(before);
        assertThat(now).as("flusher threads started by the first write").hasSize(1);
        Thread t = now.get(0);
        assertThat(t.getName()).startsWith(Flushers.PREFIX);
        return t;
    }

    static long startedThreads() {
        return ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
    }
}
