package dev.flushkata.lesson02;

import dev.flushkata.plumbing.ProxyStats;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A WRONG fix of the leak, for the workshop: lesson-02's MaxLatencyWriter, with stop() reduced to raising
 * a volatile flag. The loop checks the flag OUTSIDE lk, then takes lk and flushes. stop() returns at once,
 * the handler closes the response, and a flusher that read the flag just before still flushes:
 * check-then-act. The right one (MaxLatencyWriter) counts done down under lk, checks it under lk, and
 * waits for the thread. See NaiveVolatileFlagStopVsFlushTest.
 */
final class NaiveVolatileFlagWriter extends OutputStream {

    private final OutputStream dst;
    private final ProxyStats stats;
    private final Object lk = new Object();
    private volatile boolean stopped; // "volatile, so the flusher sees it at once": true, and not enough

    NaiveVolatileFlagWriter(OutputStream dst, ProxyStats stats) {
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

    /** One tick of the flusher's loop: the flag is read, then lk taken. Between the two, stop() and close() can both happen. */
    boolean flushOnce() {
        if (stopped) { // checked outside lk...
            return false;
        }
        synchronized (lk) { // ...so by now the response may be finished
            try {
                dst.flush();
            } catch (IOException e) {
                stats.flushFailed(e);
            }
        }
        return true;
    }

    /** Raises the flag and returns: neither takes lk nor waits for a flush under way. */
    void stop() {
        stopped = true;
    }
}
