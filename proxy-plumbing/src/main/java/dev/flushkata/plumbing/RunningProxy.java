package dev.flushkata.plumbing;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;

/** A lesson's proxy serving on a socket: its server, its backend client and its counters. */
public final class RunningProxy implements AutoCloseable {

    /** How long the proxy waits for the backend's headers unless told otherwise. */
    public static final Duration DEFAULT_BACKEND_TIMEOUT = Limits.DEFAULT.backendTimeout();

    private final Server server;
    private final BackendClient backend;
    private final ProxyStats stats;
    private final Duration flushInterval;

    private RunningProxy(Server server, BackendClient backend, ProxyStats stats, Duration flushInterval) {
        this.server = server;
        this.backend = backend;
        this.stats = stats;
        this.flushInterval = flushInterval;
    }

    /** Starts factory's handler on listen, forwarding to backend, within limits. */
    public static RunningProxy start(String name, ProxyFactory factory, URI backend, InetSocketAddress listen,
            Duration flushInterval, Limits limits) {
        ProxyStats stats = new ProxyStats(name);
        BackendClient client = new BackendClient(backend, limits, stats);
        try {
            Server server = Server.start(name, listen, factory.create(client, flushInterval, stats), limits);
            return new RunningProxy(server, client, stats, flushInterval);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** Starts factory's handler on listen, forwarding to backend; backendTimeout bounds the wait for headers. */
    public static RunningProxy start(String name, ProxyFactory factory, URI backend, InetSocketAddress listen,
            Duration flushInterval, Duration backendTimeout) {
        return start(name, factory, backend, listen, flushInterval, Limits.DEFAULT.withBackendTimeout(backendTimeout));
    }

    /** Starts factory's handler on a free loopback port. */
    public static RunningProxy start(String name, ProxyFactory factory, URI backend, Duration flushInterval) {
        return start(name, factory, backend, Server.loopback(0), flushInterval, Limits.DEFAULT);
    }

    public URI url() {
        return server.url();
    }

    public ProxyStats stats() {
        return stats;
    }

    public Server server() {
        return server;
    }

    public URI backend() {
        return backend.target();
    }

    public Duration flushInterval() {
        return flushInterval;
    }

    @Override
    public void close() {
        server.close();
        backend.close();
    }
}
