package dev.flushkata.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.flushkata.plumbing.ProxyStats;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The writer's own promises, each made to happen on purpose: a gate in the response holds a write or a
 * flush inside it (a slow socket) while the test brings the other side in. The writer is driven as the
 * handler drives it (constructor, write, stop() or close(): {@link WriterUnderTest}), so any design is
 * judged. No verdict rests on timing: a stop() that never returns is told from a slow one by its locks.
 */
public abstract class WriterPromisesContract {

    /** Flush as often as possible: the flusher is always about to flush. */
    static final Duration LATENCY = Duration.ofNanos(1_000);
    /** How long a held flush waits for a stop() that waits with timeouts of its own: 400 times join(5). */
    static final Duration HOLD = Duration.ofSeconds(2);
    static final int SAMPLES = 10;
    private static final ProxyStats STATS = new ProxyStats("writer-promises").quiet();
    private static final byte[] CHUNK = "hi".getBytes(StandardCharsets.US_ASCII);
    private static final AtomicReference<Throwable> FAILED = new AtomicReference<>();

    /** The lesson's package, e.g. dev.flushkata.lesson01. */
    protected abstract String lessonPackage();

    /** Per lesson, what its first stop() that never returned said: later tests say it again, not wait again. */
    private static final java.util.Map<String, String> STUCK = new java.util.concurrent.ConcurrentHashMap<>();

    private WriterUnderTest writer() {
        String stuckBefore = STUCK.get(lessonPackage());
        if (stuckBefore != null) {
            throw new AssertionError(stuckBefore + "\n(found by an earlier test of these promises; not waited for again)");
        }
        WriterUnderTest w = WriterUnderTest.of(lessonPackage());
        assumeTrue(w.whyNot() == null, () -> "cannot drive this design: " + w.whyNot());
        return w;
    }

    @Test
    @DisplayName("stop() returns even when the flusher is waiting for the lock")
    void stopReturnsWhileTheFlusherWaitsForTheLock() throws Exception {
        WriterUnderTest writer = writer();
        for (int i = 0; i < SAMPLES; i++) {
            lastWriteThenStop(writer);
        }
    }

    @Test
    @DisplayName("a write and a flush never reach the response at once")
    void writesAndFlushesNeverOverlap() throws Exception {
        WriterUnderTest writer = writer();
        for (int i = 0; i < SAMPLES; i++) {
            GateDestination dst = lastWriteThenStop(writer);
            if (dst.overlaps() > 0) {
                throw new AssertionError("a flush reached the response while a write was still inside it ("
                        + dst.overlaps() + " time(s)): nothing keeps writes and flushes apart, as the writer's lock should");
            }
        }
    }

    @Test
    @DisplayName("once stop() returns, no flush is under way")
    void stopWaitsForAFlushUnderWay() throws Exception {
        WriterUnderTest writer = writer();
        for (int i = 0; i < SAMPLES; i++) {
            GateDestination dst = new GateDestination();
            OutputStream w = writer.create(dst, LATENCY, STATS);
            w.write(CHUNK);
            CountDownLatch gate = new CountDownLatch(1);
            dst.holdNextFlush(gate);
            await(dst.flushHeld(), "a flush to start, 1 us after a write");
            AtomicReference<Boolean> underWayAtReturn = new AtomicReference<>();
            Thread handler = handler(() -> {
                writer.stop(w);
                underWayAtReturn.set(dst.flushUnderWay());
            });
            // Open the gate once stop() waits for the flush (blocked on the lock, or waiting untimed), or
            // after HOLD: a stop() with a timeout has long since returned, a flush still under way.
            long end = System.nanoTime() + HOLD.toNanos();
            while (handler.isAlive() && System.nanoTime() - end < 0
                    && !(Stuck.state(handler) == Thread.State.BLOCKED || Stuck.state(handler) == Thread.State.WAITING)) {
                handler.join(1);
            }
            gate.countDown();
            awaitHandler(handler);
            dst.finish();
            if (Boolean.TRUE.equals(underWayAtReturn.get())) {
                throw new AssertionError("stop() returned while a flush was still under way: that flush reaches the"
                        + " response after stop() returned, and after the response is finished (a wait with a"
                        + " timeout, or none, is no promise)");
            }
        }
    }

    /**
     * The handler's last write is held inside the response while the flusher comes for the lock (or, with
     * no lock, flushes beside it); then the write ends and the handler calls stop() at once.
     */
    private GateDestination lastWriteThenStop(WriterUnderTest writer) throws Exception {
        GateDestination dst = new GateDestination();
        OutputStream w = writer.create(dst, LATENCY, STATS);
        w.write(CHUNK);
        awaitFlushes(dst);
        CountDownLatch gate = new CountDownLatch(1);
        dst.holdNextWrite(gate);
        Thread handler = handler(() -> {
            try {
                w.write(CHUNK);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            writer.stop(w);
        });
        await(dst.writeHeld(), "the handler's write to reach the response");
        // Wait until the flusher waits for the lock, or flushed beside the write, or HOLD has passed.
        long end = System.nanoTime() + HOLD.toNanos();
        while (System.nanoTime() - end < 0 && dst.overlaps() == 0 && !waitsForALock(dst.flusher())) {
            Thread.sleep(1); // polling a state, not synchronising: the gate holds the write meanwhile
        }
        gate.countDown();
        awaitHandler(handler);
        dst.finish();
        return dst;
    }

    private static boolean waitsForALock(Thread t) {
        Thread.State s = t == null ? null : Stuck.state(t);
        return s == Thread.State.BLOCKED || s == Thread.State.WAITING;
    }

    private static void awaitFlushes(GateDestination dst) {
        Verdicts.awaitQuietly("the flusher flushes, 1 us after a write", () -> dst.flushes() > 0);
    }

    private static void await(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(Deadlines.FAULT_FREE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            throw new AssertionError("waited " + Deadlines.FAULT_FREE.toSeconds() + " s for " + what);
        }
    }

    /** Runs body on a thread of its own, a handler that may never come back; its failure is kept. */
    private static Thread handler(Runnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (RuntimeException | Error e) {
                FAILED.set(e);
            }
        }, "handler-under-test");
        t.setDaemon(true); // a deadlocked one must not keep the JVM alive
        t.start();
        return t;
    }

    /** Waits for the handler to end (or says what holds it), then rethrows what it threw. */
    private void awaitHandler(Thread handler) throws InterruptedException {
        AssertionError stuck = Stuck.awaitEnd(handler, Deadlines.FAULT_FREE, "stop()");
        if (stuck != null) {
            STUCK.put(lessonPackage(), stuck.getMessage().lines().findFirst().orElse("stop() never returned"));
            throw stuck;
        }
        Throwable failed = FAILED.getAndSet(null);
        if (failed != null) {
            throw new AssertionError("the handler's write or stop() failed: " + failed, failed);
        }
    }
}
