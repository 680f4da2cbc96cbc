package dev.flushkata.testkit;

import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client's response in a race: counts the flushes that reach it once it is finished, or that are still
 * under way when it finishes, and remembers the thread that flushed it. A flush that comes after the end
 * ends its thread (an Error no writer catches), so a broken stop() cannot leave flushers running by the million.
 */
final class RaceDestination extends OutputStream {

    /** Thrown into a flusher that flushes a finished response: ends a runaway flusher, quietly. */
    static final class LateFlush extends Error {
        LateFlush() {
            super("flush after the response was finished", null, false, false);
        }
    }

    static {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            if (!(e instanceof LateFlush)) {
                if (previous != null) {
                    previous.uncaughtException(t, e);
                } else {
                    e.printStackTrace();
                }
            }
        });
    }

    private final AtomicInteger late = new AtomicInteger();
    private volatile boolean finished;
    private volatile int flushes;
    private volatile Thread flusher;
    private volatile boolean inFlush;

    @Override
    public void write(int b) {
        // the bytes do not matter; only when flushes happen does
    }

    @Override
    public void write(byte[] b, int off, int len) {
    }

    @Override
    public void flush() {
        if (finished) {
            late.incrementAndGet();
            throw new LateFlush();
        }
        flusher = Thread.currentThread();
        flushes++;
        inFlush = true;
        spin(FLUSH_NANOS); // a real flush takes a while (a socket write): room for stop() and the end to overlap it
        if (finished) {
            late.incrementAndGet(); // the response ended while this flush was still writing to it
        }
        inFlush = false;
    }

    /** How long a flush takes here: long enough that stop() often comes in the middle of one. */
    static final long FLUSH_NANOS = 20_000;

    static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }

    /**
     * Waits until the first flush (the flusher runs), for at most 50 ms: on a busy machine the flusher
     * may wait that long for a core, and a sample whose stop() comes before it ever ran tests nothing.
     */
    void awaitFirstFlush() {
        awaitFirstFlush(50_000_000);
    }

    /** Waits until the first flush, for at most nanos. */
    void awaitFirstFlush(long nanos) {
        long end = System.nanoTime() + nanos;
        while (flushes == 0 && System.nanoTime() - end < 0) {
            Thread.yield();
        }
    }

    /** Spins until a flush is under way, for at most a millisecond (a design may flush only once). */
    void awaitFlushUnderWay() {
        long end = System.nanoTime() + 1_000_000;
        while (!inFlush && System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }

    /** The thread that flushed is still running. */
    boolean flusherAlive() {
        Thread t = flusher;
        return t != null && t.isAlive();
    }

    /**
     * The response is over: from now on a flush is late. Waits (a millisecond at most) for a flush still
     * under way to end, so that it is counted before anyone reads the count.
     */
    void finish() {
        finished = true;
        long end = System.nanoTime() + 1_000_000;
        while (inFlush && System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }

    int flushes() {
        return flushes;
    }

    int lateFlushes() {
        return late.get();
    }
}
