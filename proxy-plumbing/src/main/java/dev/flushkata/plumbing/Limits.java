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
 * @param workers            threads serving requests; a request holds one only once its head has arrived
 */
public record Limits(Duration idleTimeout, Duration backendTimeout, Duration backendIdleTimeout,
        int maxHeaderBytes, int maxHeaders, int workers) {

    public static final Limits DEFAULT = new Limits(Duration.ofSeconds(30), Duration.ofSeconds(30),
            Duration.ofSeconds(60), 16 * 1024, 100, 200);

    public Limits {
        positive("idleTimeout", idleTimeout);
        positive("backendTimeout", backendTimeout);
        positive("backendIdleTimeout", backendIdleTimeout);
        if (maxHeaderBytes < 1024 || maxHeaders < 1 || workers < 8) {
            throw new IllegalArgumentException("maxHeaderBytes must be at least 1024, maxHeaders at least 1,"
                    + " workers at least 8");
        }
    }

    public Limits withBackendTimeout(Duration d) {
        return new Limits(idleTimeout, d, backendIdleTimeout, maxHeaderBytes, maxHeaders, workers);
    }

    public Limits withIdleTimeout(Duration d) {
        return new Limits(d, backendTimeout, backendIdleTimeout, maxHeaderBytes, maxHeaders, workers);
    }

    public Limits withBackendIdleTimeout(Duration d) {
        return new Limits(idleTimeout, backendTimeout, d, maxHeaderBytes, maxHeaders, workers);
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
