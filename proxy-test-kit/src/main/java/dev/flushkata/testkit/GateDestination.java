package dev.flushkata.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client's response in {@link WriterPromisesContract}: a test can hold the next write or flush inside
 * it (as a slow socket would) until it opens the gate, so the moments a race needs happen every time, not
 * by luck. It counts writes and flushes inside at once (overlaps), and flushes that reach it once finished
 * or are still under way when it finishes.
 */
final class GateDestination extends OutputStream {

    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicInteger overlaps = new AtomicInteger();
    private final AtomicInteger late = new AtomicInteger();
    private volatile int flushes;
    private volatile boolean inFlush;
    private volatile boolean finished;
    private volatile Thread flusher;
    private volatile CountDownLatch holdWrite; // the next write waits on it
    private volatile CountDownLatch holdFlush; // the next flush waits on it
    private final CountDownLatch writeHeld = new CountDownLatch(1);
    private final CountDownLatch flushHeld = new CountDownLatch(1);

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        enter();
        try {
            CountDownLatch gate = holdWrite;
            if (gate != null) {
                holdWrite = null;
                writeHeld.countDown();
                awaitUninterruptibly(gate);
            }
        } finally {
            inside.decrementAndGet();
        }
    }

    @Override
    public void flush() throws IOException {
        enter();
        try {
            if (finished) {
                late.incrementAndGet();
                throw new IOException("flush after the response was finished");
            }
            flusher = Thread.currentThread();
            inFlush = true;
            CountDownLatch gate = holdFlush;
            if (gate != null) {
                holdFlush = null;
                flushHeld.countDown();
                awaitUninterruptibly(gate);
            }
            flushes++;
            inFlush = false;
        } finally {
            inside.decrementAndGet();
        }
    }

    private void enter() {
        if (inside.getAndIncrement() != 0) {
            overlaps.incrementAndGet();
        }
    }

    /** The next write stays inside until gate opens; writeHeld() tells when it is there. */
    void holdNextWrite(CountDownLatch gate) {
        holdWrite = gate;
    }

    /** The next flush stays inside (under way) until gate opens; flushHeld() tells when it is there. */
    void holdNextFlush(CountDownLatch gate) {
        holdFlush = gate;
    }

    CountDownLatch writeHeld() {
        return writeHeld;
    }

    CountDownLatch flushHeld() {
        return flushHeld;
    }

    /** The response is over: from now on a flush is late, and one still under way is late too. */
    void finish() {
        finished = true;
        if (inFlush) {
            late.incrementAndGet();
        }
    }

    boolean flushUnderWay() {
        return inFlush;
    }

    int flushes() {
        return flushes;
    }

    int overlaps() {
        return overlaps.get();
    }

    int lateFlushes() {
        return late.get();
    }

    /** The thread that flushed last, or null. */
    Thread flusher() {
        return flusher;
    }

    /** A socket write is not cut short by an interrupt here: the interrupt is kept for the caller. */
    private static void awaitUninterruptibly(CountDownLatch gate) {
        boolean interrupted = false;
        while (true) {
            try {
                gate.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
