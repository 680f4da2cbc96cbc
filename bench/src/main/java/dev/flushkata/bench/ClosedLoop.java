package dev.flushkata.bench;

import dev.flushkata.plumbing.Causes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * wrk's closed loop on the JDK's HttpClient: concurrency clients, each sending its next request as soon as its
 * last one was answered in full, for a given time.
 */
final class ClosedLoop {

    /** How long one request may take before it counts as failed. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** One run: answers in full, failures, and the time from the first send to the last answer. */
    record Result(long requests, long failed, long nanos, String firstFailure) {
    }

    private final HttpClient client;
    private final ExecutorService clients;
    private final int concurrency;

    /** clients must have at least concurrency threads, free while run() runs. */
    ClosedLoop(HttpClient client, ExecutorService clients, int concurrency) {
        this.client = client;
        this.clients = clients;
        this.concurrency = concurrency;
    }

    /** GETs uri for seconds, expecting 200 and a body of length bytes; requests under way then are awaited. */
    Result run(URI uri, int length, int seconds) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).build();
        LongAdder ok = new LongAdder();
        LongAdder failed = new LongAdder();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        CountDownLatch finished = new CountDownLatch(concurrency);
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
        for (int i = 0; i < concurrency; i++) {
            clients.execute(() -> {
                try {
                    while (System.nanoTime() - deadline < 0) {
                        String why = send(request, length);
                        if (why == null) {
                            ok.increment();
                        } else {
                            failed.increment();
                            firstFailure.compareAndSet(null, why);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    finished.countDown();
                }
            });
        }
        long bound = seconds + REQUEST_TIMEOUT.toSeconds() + 10;
        if (!finished.await(bound, TimeUnit.SECONDS)) {
            throw new IllegalStateException(uri + ": requests still under way " + bound + " s after the round began");
        }
        return new Result(ok.sum(), failed.sum(), System.nanoTime() - start, firstFailure.get());
    }

    /** Sends request; null when the answer is 200 with length bytes, else why not. */
    private String send(HttpRequest request, int length) throws InterruptedException {
        try {
            HttpResponse<byte[]> res = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return res.statusCode() == 200 && res.body().length == length ? null
                    : "status " + res.statusCode() + " with " + res.body().length + " bytes, wanted 200 with " + length;
        } catch (IOException e) {
            return Causes.chain(e);
        }
    }
}
