package dev.flushkata.lesson02;

import dev.flushkata.plumbing.ProxyStats;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A WRONG fix of the leak, for the workshop: stop() interrupts the flusher thread and returns without
 * waiting for it. An interrupt is a request, seen only at the flusher's wait point (its sleep throws
 * InterruptedException); a flusher already past it, or in the middle of a flush, goes on flushing a
 * response the handler has meanwhile finished. The right one (MaxLatencyWriter) stops under lk and joins
 * the thread. See BrokenInterruptStopVsFlushTest.
 *
 * <p>The interrupt is modelled by {@link #interruptPending}, which flushOnce() checks where the loop's
 * sleep would throw: jcstress worker threads must not really be interrupted.
 */
final class BrokenInterruptStopWriter extends OutputStream {

    private final OutputStream dst;
    private final ProxyStats stats;
    private final Object lk = new Object();
    private volatile boolean interruptPending; // the flusher's interrupt status: set by flusher.interrupt()

    BrokenInterruptStopWriter(OutputStream dst, ProxyStats stats) {
        this.dst = dst;
        this.stats = stats;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        try {
            synchronized (lk) {
                dst.write(b, off, len); // no flusher thread is started here: a jcstress actor plays it
            }
        } catch (IOException e) {
            stop();
            throw e;
        }
    }

    /**
     * One tick of the flusher's loop. Its wait point comes first: {@code Thread.sleep(latency)} would
     * throw InterruptedException here if stop() had interrupted the thread. Past it, nothing checks again.
     */
    boolean flushOnce() {
        if (interruptPending) { // Thread.sleep(latency) throwing InterruptedException: the loop ends
            return false;
        }
        synchronized (lk) {
            try {
                dst.flush();
            } catch (IOException e) {
                stats.flushFailed(e);
            }
        }
        return true;
    }

    /** flusher.interrupt(), then return: "the thread will notice". It does, later. */
    void stop() {
        interruptPending = true;
    }
}
