package dev.flushkata.plumbing;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/** What one proxy counts, for its tests and the demo; every figure is a real event, counted as it happens. */
public final class ProxyStats {

    private final String name;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong responsesFinished = new AtomicLong();
    private final AtomicLong flushFailures = new AtomicLong();
    private final AtomicLong flushesAfterClose = new AtomicLong();
    private final AtomicLong writesAfterClose = new AtomicLong();
    private final AtomicLong logged = new AtomicLong();
    private volatile boolean quiet;

    public ProxyStats(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Stops the brief stderr log of failures (the counts go on). */
    public ProxyStats quiet() {
        quiet = true;
        return this;
    }

    /** Requests the proxy has received. */
    public long requests() {
        return requests.get();
    }

    /** Responses whose body stream was finished (completed or aborted). */
    public long responsesFinished() {
        return responsesFinished.get();
    }

    /** Flushes by a flusher thread that threw: on a finished response or a broken connection. */
    public long flushFailures() {
        return flushFailures.get();
    }

    /** Flushes that reached a response after it was finished: the bug this kata is about. */
    public long flushesAfterClose() {
        return flushesAfterClose.get();
    }

    /** Writes that reached a response after it was finished. */
    public long writesAfterClose() {
        return writesAfterClose.get();
    }

    void requestStarted() {
        requests.incrementAndGet();
    }

    void responseFinished() {
        responsesFinished.incrementAndGet();
    }

    void flushAfterClose() {
        flushesAfterClose.incrementAndGet();
    }

    void writeAfterClose() {
        writesAfterClose.incrementAndGet();
    }

    /** A flusher's flush threw; counted, and logged at the 1st, 10th, 100th... so a leak cannot flood stderr. */
    public void flushFailed(IOException e) {
        long n = flushFailures.incrementAndGet();
        if (isPowerOfTen(n)) {
            log(String.format("flush failed (%d so far): %s", n, e.getMessage()));
        }
    }

    /** Lines logged so far, quiet or not: what would have reached stderr (tests count them). */
    public long logged() {
        return logged.get();
    }

    /** One line to stderr, prefixed with the proxy's name, unless quiet. */
    public void log(String message) {
        logged.incrementAndGet();
        if (!quiet) {
            System.err.println("[" + name + "] " + message);
        }
    }

    private static boolean isPowerOfTen(long n) {
        while (n % 10 == 0) {
            n /= 10;
        }
        return n == 1;
    }

    @Override
    public String toString() {
        return name + ": requests=" + requests() + " finished=" + responsesFinished()
                + " flushFailures=" + flushFailures() + " flushesAfterClose=" + flushesAfterClose();
    }
}
