package dev.flushkata.testkit;

import dev.flushkata.plumbing.BackendClient;
import dev.flushkata.plumbing.ProxyFactory;
import dev.flushkata.plumbing.RunningProxy;
import dev.flushkata.plumbing.Server;
import dev.flushkata.plumbing.StreamingBackend;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** A streaming backend, one lesson's proxy in front of it, and a client; everything on loopback. */
public final class ProxyFixture implements AutoCloseable {

    private final StreamingBackend backend;
    private final RunningProxy proxy;
    private final List<Object> handlers;
    private final ExecutorService clientThreads;
    private final HttpClient client;

    private ProxyFixture(StreamingBackend backend, RunningProxy proxy, List<Object> handlers) {
        this.backend = backend;
        this.proxy = proxy;
        this.handlers = handlers;
        this.clientThreads = Executors.newCachedThreadPool(Server.daemonThreads("test-client-"));
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(clientThreads).build();
    }

    /** Starts a backend and factory's proxy with the given flush interval. */
    public static ProxyFixture start(String name, ProxyFactory factory, Duration flushInterval) {
        StreamingBackend backend = StreamingBackend.start();
        List<Object> handlers = new CopyOnWriteArrayList<>();
        try {
            RunningProxy proxy = RunningProxy.start(name, (client, interval, stats) -> {
                var handler = factory.create(client, interval, stats);
                handlers.add(handler); // closed with the fixture, if it can be (lesson-04's timer)
                return handler;
            }, backend.url(), flushInterval);
            proxy.stats().quiet();
            return new ProxyFixture(backend, proxy, handlers);
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    public RunningProxy proxy() {
        return proxy;
    }

    public StreamingBackend backend() {
        return backend;
    }

    /** The proxy's URL for path (with query). */
    public URI url(String pathAndQuery) {
        return proxy.url().resolve(pathAndQuery);
    }

    /** GET through the proxy, whole body as a string. */
    public HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(url(pathAndQuery)).timeout(Deadlines.FAULT_FREE).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GET through the proxy, whole body as bytes. */
    public HttpResponse<byte[]> getBytes(String pathAndQuery) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(url(pathAndQuery)).timeout(Deadlines.FAULT_FREE).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** GET through the proxy, body still streaming. */
    public HttpResponse<InputStream> stream(String pathAndQuery) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(url(pathAndQuery)).timeout(Deadlines.FAULT_FREE).build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    public HttpClient client() {
        return client;
    }

    /**
     * Stops the proxy, then closes its handler if it can be closed: what RunningProxy should do once
     * handlers hold something of their own (lesson-04's timer thread), so tests see it end at once.
     */
    @Override
    public void close() {
        proxy.close();
        for (Object h : handlers) {
            if (h instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException("closing the proxy's handler failed", e);
                }
            }
        }
        backend.close();
        BackendClient.shutdownNow(client);
        clientThreads.shutdownNow();
        try {
            clientThreads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
