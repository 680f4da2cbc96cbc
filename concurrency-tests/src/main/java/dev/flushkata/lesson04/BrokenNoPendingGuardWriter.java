package dev.flushkata.lesson04;

import dev.flushkata.plumbing.ProxyStats;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A WRONG timer writer, for the workshop: lesson-04's MaxLatencyWriter as the first timer version was
 * copied around, without the flushPending check in delayedFlush. stop() still takes mu and cancels the
 * task; but a task the timer had already started (cancel() cannot stop it any more) waits for mu, gets
 * it once stop() has returned, and flushes a finished response: 2012's symptom in a new form.
 * See BrokenNoPendingGuardDelayedFlushVsStopTest.
 */
final class BrokenNoPendingGuardWriter extends OutputStream {

    private final OutputStream dst;
    private final long latencyNanos;
    private final ProxyStats stats;
    private final ScheduledExecutorService timer;
    private final Object mu = new Object();
    private Future<?> t;
    private boolean flushPending;
    private boolean stopped;

    BrokenNoPendingGuardWriter(OutputStream dst, long latencyNanos, ProxyStats stats, ScheduledExecutorService timer) {
        this.dst = dst;
        this.latencyNanos = latencyNanos;
        this.stats = stats;
        this.timer = timer;
        synchronized (mu) {
            arm();
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        synchronized (mu) {
            dst.write(b, off, len);
            if (flushPending || stopped) {
                return;
            }
            arm();
        }
    }

    private void arm() {
        t = timer.schedule(this::delayedFlush, latencyNanos, TimeUnit.NANOSECONDS);
        flushPending = true;
    }

    /** THE MISTAKE: no "if (!flushPending) return": a task already started flushes whatever stop() did. */
    void delayedFlush() {
        synchronized (mu) {
            try {
                dst.flush();
            } catch (IOException e) {
                stats.flushFailed(e);
            }
            flushPending = false;
        }
    }

    void stop() {
        synchronized (mu) {
            flushPending = false;
            stopped = true;
            if (t != null) {
                t.cancel(false);
            }
        }
    }
}
