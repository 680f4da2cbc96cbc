package dev.flushkata.plumbing;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A handler on the JDK's HttpServer, with a bounded pool of named worker threads. */
public final class Server implements AutoCloseable {

    /** Worker threads per server: one per in-flight exchange; more exchanges queue. */
    public static final int DEFAULT_WORKERS = 64;

    static {
        // Streamed chunks go out when flushed, not after a delayed ACK (Go's TCP connections do the same).
        // HttpServer reads this once, before its first server starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer http;
    private final ThreadPoolExecutor workers;
    private final String name;

    private Server(HttpServer http, ThreadPoolExecutor workers, String name) {
        this.http = http;
        this.workers = workers;
        this.name = name;
    }

    /** Starts handler on address, workers named {name}-worker-{n}. */
    public static Server start(String name, InetSocketAddress address, HttpHandler handler) {
        ThreadPoolExecutor workers = new ThreadPoolExecutor(DEFAULT_WORKERS, DEFAULT_WORKERS,
                30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), daemonThreads(name + "-worker-"));
        workers.allowCoreThreadTimeOut(true); // an idle server holds no threads
        try {
            HttpServer http = HttpServer.create(address, 128);
            http.createContext("/", handler);
            http.setExecutor(workers);
            http.start();
            return new Server(http, workers, name);
        } catch (IOException e) {
            workers.shutdownNow();
            throw new UncheckedIOException("cannot listen on " + hostPort(address) + ": " + e.getMessage(), e);
        }
    }

    /** Loopback, the default for everything the kata starts. */
    public static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /** http://host:port of the bound socket (the real port when 0 was asked). */
    public URI url() {
        return URI.create("http://" + hostPort(http.getAddress()));
    }

    public int port() {
        return http.getAddress().getPort();
    }

    public String name() {
        return name;
    }

    /** Exchanges being handled now; 0 once every handler has returned. */
    public int busyWorkers() {
        return workers.getActiveCount();
    }

    /** Stops accepting, drops open exchanges, and waits briefly for the workers to end. */
    @Override
    public void close() {
        http.stop(0);
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String hostPort(InetSocketAddress a) {
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** Daemon threads named prefix1, prefix2, ... */
    public static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
