package dev.flushkata.testkit.fake.joinunderlock;

import dev.flushkata.plumbing.ProxyStats;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake lesson for WriterPromisesContractTest: stop() joins the flusher while holding lk: a deadlock.
 * Otherwise lesson-01's writer, which writes to dst and flushes it at least every latency, so a slow backend's bytes reach the client:
 * Go's maxLatencyWriter.
 */
final class MaxLatencyWriter extends OutputStream {

    private static final AtomicInteger FLUSHERS = new AtomicInteger(); // numbers the flusher threads

    private final OutputStream dst;
    private final long latencyNanos;
    private final ProxyStats stats;
    private final Object lk = new Object(); // Go's lk: one write or flush on dst at a time
    private final CountDownLatch done = new CountDownLatch(1); // Go's done channel; stop() counts it down
    private Thread flusher; // guarded by lk; started by the first write, as Go started flushLoop

    MaxLatencyWriter(OutputStream dst, Duration latency, ProxyStats stats) {
        this.dst = dst;
        this.latencyNanos = latency.toNanos();
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
                if (flusher == null && done.getCount() > 0) {
                    // Go: if m.done == nil { m.done = make(chan bool); go m.flushLoop() }.
                    // A platform thread, as a goroutine was then the cheap way; daemon, as a goroutine
                    // never keeps a program alive, which is also why nobody noticed it staying.
                    flusher = new Thread(this::flushLoop, "fake-flusher-" + FLUSHERS.incrementAndGet());
                    flusher.setDaemon(true);
                    flusher.start();
                }
                dst.write(b, off, len);
            }
        } catch (IOException e) {
            stop(); // Go: if err != nil { m.done <- true }: a failed write stops the flusher
            throw e;
        }
    }

    /** Flushes dst every latency until stop() (or an interrupt): Go's flushLoop goroutine. */
    void flushLoop() {
        try {
            while (!done.await(latencyNanos, TimeUnit.NANOSECONDS)) { // select { case <-m.done / case <-t.C }
                flushOnce();
            }
        } catch (InterruptedException e) {
            // Interrupted: end like stop() did; only tests cleaning up leaked flushers do this.
        }
    }

    /** One tick of flushLoop: flushes dst under lk unless stopped; false once stopped. */
    boolean flushOnce() {
        synchronized (lk) {
            if (done.getCount() == 0) {
                return false;
            }
            try {
                dst.flush();
            } catch (IOException e) {
                stats.flushFailed(e); // Go ignored Flush's result; here it is counted, and the loop goes on
            }
            return true;
        }
    }

    /**
     * Stops the flusher: once stop() returns, no flush reaches dst again. Go's stop() was a send on an
     * unbuffered channel, which returns only when the loop has taken it. Here done is counted down
     * while holding lk, the lock every flush holds and checks done under: a flush under way finishes
     * first, and none starts after. Then stop() waits for the thread to end. Safe to call twice.
     */
    void stop() {
        synchronized (lk) {
            done.countDown();
            if (flusher != null && flusher != Thread.currentThread()) {
                joinUninterruptibly(flusher);
            }
        }
    }

    private static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
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
