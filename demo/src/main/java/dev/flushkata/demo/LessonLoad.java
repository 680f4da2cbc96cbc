package dev.flushkata.demo;

import dev.flushkata.plumbing.Causes;
import dev.flushkata.plumbing.Lesson;
import dev.flushkata.plumbing.Percentiles;
import dev.flushkata.plumbing.RunningProxy;
import dev.flushkata.plumbing.Server;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** One lesson's proxy and the load sent through it: requests done, failures, first-chunk latencies. */
final class LessonLoad implements AutoCloseable {

    final Lesson lesson;
    final RunningProxy proxy;
    private final ExecutorService senders;
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final Queue<Long> firstChunkNanos = new ConcurrentLinkedQueue<>();
    private final AtomicInteger submitted = new AtomicInteger();
    private volatile String firstFailure;

    LessonLoad(Lesson lesson, URI backend, Duration flushInterval, int concurrency) {
        this.lesson = lesson;
        this.proxy = RunningProxy.start(lesson.name(), lesson, backend, flushInterval);
        proxy.stats().quiet();
        this.senders = Executors.newFixedThreadPool(concurrency, Server.daemonThreads("demo-load-" + lesson.name() + "-"));
    }

    /** Queues requests GETs of pathAndQuery; those not started by deadline (System.nanoTime) are skipped. */
    void start(HttpClient client, String pathAndQuery, int requests, long deadline) {
        URI uri = proxy.url().resolve(pathAndQuery);
        for (int i = 0; i < requests; i++) {
            submitted.incrementAndGet();
            senders.execute(() -> {
                if (System.nanoTime() - deadline > 0) {
                    return;
                }
                send(client, uri);
            });
        }
        senders.shutdown();
    }

    private void send(HttpClient client, URI uri) {
        long start = System.nanoTime();
        try {
            HttpResponse<InputStream> res = client.send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = res.body()) {
                if (res.statusCode() != 200 || body.read() < 0) {
                    fail("status " + res.statusCode() + " or an empty body");
                    return;
                }
                firstChunkNanos.add(System.nanoTime() - start);
                body.readAllBytes();
            }
            done.incrementAndGet();
        } catch (Exception e) {
            fail(Causes.chain(e));
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void fail(String why) {
        if (failed.incrementAndGet() == 1) {
            firstFailure = why;
        }
    }

    /** Why the first failed request failed, or null. */
    String firstFailure() {
        return firstFailure;
    }

    /** True once every queued request was sent or skipped. */
    boolean finished() {
        return senders.isTerminated();
    }

    boolean awaitFinished(long timeout, TimeUnit unit) throws InterruptedException {
        return senders.awaitTermination(timeout, unit);
    }

    int done() {
        return done.get();
    }

    int failed() {
        return failed.get();
    }

    int submitted() {
        return submitted.get();
    }

    Percentiles firstChunk() {
        return new Percentiles(firstChunkNanos);
    }

    @Override
    public void close() {
        senders.shutdownNow();
        proxy.close();
    }
}
