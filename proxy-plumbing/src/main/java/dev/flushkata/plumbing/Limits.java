package dev.flushkata.plumbing;

import java.time.Duration;

/**
 * Every bound the proxy puts on a client or a backend, so that neither can hold it forever.
 *
 * @param idleTimeout        a client connection silent this long is closed (also a stalled upload or
 *                           a client that stopped reading)
 * @param backendTimeout     the longest silence before the backend's headers are in, once the request is
 *                           sent: then 504 (per read, not a total)
 * @param backendIdleTimeout the longest silence inside a backend's body: then the response is aborted
 * @param maxHeaderBytes     the request line and headers together: more gets 431 (or 414 for the line)
 * @param maxHeaders         request header fields: more gets 431
 * @param workers            requests served at once, each on a worker thread; a request holds one only once
 *                           its head has arrived
 * @param queue              requests over workers that may wait for one, holding their connection and head
 *                           but no thread; one more gets 503 at once
 * @param queueTimeout       the longest wait for a worker: then 503
 * @param virtualThreads     workers are virtual threads (JDK 21+), so that a worker held by a slow stream costs
 *                           a few KiB of heap rather than a thread's stack
 */
public record Limits(Duration idleTimeout, Duration backendTimeout, Duration backendIdleTimeout,
        int maxHeaderBytes, int maxHeaders, int workers, int queue, Duration queueTimeout, boolean virtualThreads) {

    /** The most workers: far more than platform threads could hold, a bound for virtual ones. */
    public static final int MAX_WORKERS = 1_000_000;

    public static final Limits DEFAULT = new Limits(Duration.ofSeconds(30), Duration.ofSeconds(30),
            Duration.ofSeconds(60), 16 * 1024, 100, 200, 100, Duration.ofSeconds(1), false);

    public Limits {
        positive("idleTimeout", idleTimeout);
        positive("backendTimeout", backendTimeout);
        positive("backendIdleTimeout", backendIdleTimeout);
        positive("queueTimeout", queueTimeout);
        if (maxHeaderBytes < 1024 || maxHeaders < 1 || workers < 1 || workers > MAX_WORKERS || queue < 0
                || queue > MAX_WORKERS) {
            throw new IllegalArgumentException("maxHeaderBytes must be at least 1024, maxHeaders at least 1,"
                    + " workers between 1 and " + MAX_WORKERS + ", queue between 0 and " + MAX_WORKERS);
        }
    }

    /** The default queue, its timeout, and platform threads. */
    public Limits(Duration idleTimeout, Duration backendTimeout, Duration backendIdleTimeout, int maxHeaderBytes,
            int maxHeaders, int workers) {
        this(idleTimeout, backendTimeout, backendIdleTimeout, maxHeaderBytes, maxHeaders, workers,
                DEFAULT.queue, DEFAULT.queueTimeout, false);
    }

    public Limits withBackendTimeout(Duration d) {
        return new Limits(idleTimeout, d, backendIdleTimeout, maxHeaderBytes, maxHeaders, workers, queue, queueTimeout,
                virtualThreads);
    }

    public Limits withIdleTimeout(Duration d) {
        return new Limits(d, backendTimeout, backendIdleTimeout, maxHeaderBytes, maxHeaders, workers, queue, queueTimeout,
                virtualThreads);
    }

    public Limits withBackendIdleTimeout(Duration d) {
        return new Limits(idleTimeout, backendTimeout, d, maxHeaderBytes, maxHeaders, workers, queue, queueTimeout,
                virtualThreads);
    }

    /** workers at once, up to queue more waiting at most queueTimeout each. */
    public Limits withWorkers(int workers, int queue, Duration queueTimeout) {
        return new Limits(idleTimeout, backendTimeout, backendIdleTimeout, maxHeaderBytes, maxHeaders, workers, queue,
                queueTimeout, virtualThreads);
    }

    /** The same limits, workers on virtual threads (on) or platform threads. */
    public Limits withVirtualThreads(boolean on) {
        return new Limits(idleTimeout, backendTimeout, backendIdleTimeout, maxHeaderBytes, maxHeaders, workers, queue,
                queueTimeout, on);
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
