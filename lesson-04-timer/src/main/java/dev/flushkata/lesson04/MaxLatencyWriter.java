package dev.flushkata.lesson04;

import dev.flushkata.plumbing.ProxyStats;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Writes to dst and flushes it at least every latency, so a slow backend's bytes reach the client:
 * Go's maxLatencyWriter as Go has it today. No thread of its own: a write arms one delayed flush on the
 * proxy's timer, unless one is pending; the timer hands it to the proxy's flush threads.
 */
final class MaxLatencyWriter extends OutputStream {

    private final OutputStream dst;
    private final long latencyNanos; // non-zero; negative means to flush after every write
    private final ProxyStats stats;
    private final ScheduledExecutorService timer; // the proxy's, shared by all its responses
    private final Executor flushes; // the proxy's: runs a due flush, so one that blocks holds up no other response
    private final Object mu = new Object(); // Go's mu: protects t, flushPending, stopped, and dst's writes and flushes
    private Future<?> t; // guarded by mu: the last delayed flush armed
    private boolean flushPending; // guarded by mu: a delayed flush is armed and has not flushed yet
    private boolean stopped; // guarded by mu: after stop(), a write arms nothing (Go's copy never writes then)

    /** Arms a first delayed flush at once, so the headers reach the client within latency (Go issue 31125). */
    MaxLatencyWriter(OutputStream dst, Duration latency, ProxyStats stats, ScheduledExecutorService timer,
            Executor flushes) {
        this.dst = dst;
        this.latencyNanos = latency.toNanos();
        this.stats = stats;
        this.timer = timer;
        this.flushes = flushes;
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
            if (latencyNanos < 0) {
                flushDst(); // Go: if m.latency < 0 { m.dst.Flush(); return }
                return;
            }
            if (flushPending || stopped) {
                return; // the pending flush will take these bytes too
            }
            arm();
        }
    }

    /** Go's time.AfterFunc(m.latency, m.delayedFlush), which runs it in a goroutine of its own. Under mu. */
    private void arm() {
        t = timer.schedule(() -> flushes.execute(this::delayedFlush), Math.max(latencyNanos, 0), TimeUnit.NANOSECONDS);
        flushPending = true;
    }

    /** Runs on a flush thread: flushes once, unless stop() came first. */
    void delayedFlush() {
        synchronized (mu) {
            if (!flushPending) { // stop was called but the timer had already started this task
                return;
            }
            flushDst();
            flushPending = false;
        }
    }

    /** Flushes dst under mu; a failure is counted, as Go ignored it, and the copy's next write will fail. */
    private void flushDst() {
        try {
            dst.flush();
        } catch (IOException e) {
            stats.flushFailed(e);
        }
    }

    /**
     * Once stop() returns, no flush reaches dst: under mu, it clears flushPending, which a delayed flush
     * already running checks under mu, and cancels the one not yet started. Safe to call twice.
     */
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
