package dev.flushkata.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * What a proxy adds to a streamed body: the backend sends CHUNKS chunks of SIZE bytes, DELAY_MS apart, each
 * flushed; chunk i is due at the client i * DELAY_MS after the request, and it arrives later by the extra delay.
 */
final class ChunkDelay {

    static final int CHUNKS = 5;
    static final int SIZE = 16;
    static final int DELAY_MS = 300;

    private ChunkDelay() {
    }

    /** The backend's path for a kind of stream. */
    static String path(StreamKind kind) {
        return "/stream?chunks=" + CHUNKS + "&size=" + SIZE + "&delayMs=" + DELAY_MS + kind.query;
    }

    /** Sends one streamed request through server; its chunks' extra delays in nanoseconds, once it is over. */
    static CompletableFuture<long[]> send(HttpClient client, URI server, StreamKind kind) {
        HttpRequest request = HttpRequest.newBuilder(server.resolve(path(kind))).timeout(ClosedLoop.REQUEST_TIMEOUT)
                .build();
        Arrivals arrivals = new Arrivals(System.nanoTime());
        return client.sendAsync(request, HttpResponse.BodyHandlers.fromSubscriber(arrivals, Arrivals::samples))
                .orTimeout(ClosedLoop.REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                .thenApply(res -> {
                    if (res.statusCode() != 200) {
                        throw new IllegalStateException("status " + res.statusCode());
                    }
                    return extraNanos(res.body(), CHUNKS, SIZE, TimeUnit.MILLISECONDS.toNanos(DELAY_MS));
                });
    }

    /**
     * Each chunk's arrival minus its schedule: chunk i has arrived with the sample that brings the body to
     * (i + 1) * size bytes, and was due i * delayNanos after the request. Samples are [nanos since the request,
     * bytes so far], in order.
     */
    static long[] extraNanos(List<long[]> samples, int chunks, int size, long delayNanos) {
        long[] extra = new long[chunks];
        int s = 0;
        for (int i = 0; i < chunks; i++) {
            long needed = (long) (i + 1) * size;
            while (s < samples.size() && samples.get(s)[1] < needed) {
                s++;
            }
            if (s == samples.size()) {
                throw new IllegalStateException("the body ended before chunk " + (i + 1) + " of " + chunks);
            }
            extra[i] = samples.get(s)[0] - i * delayNanos;
        }
        return extra;
    }

    /** Notes when the client got each part of the body, and how much it had by then. */
    private static final class Arrivals implements Flow.Subscriber<List<ByteBuffer>> {

        private final long start;
        private final List<long[]> samples = Collections.synchronizedList(new ArrayList<>());
        private long bytes;

        Arrivals(long start) {
            this.start = start;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            long now = System.nanoTime();
            bytes += buffers.stream().mapToLong(ByteBuffer::remaining).sum();
            samples.add(new long[] {now - start, bytes});
        }

        @Override
        public void onError(Throwable throwable) {
            // the response's future fails with it
        }

        @Override
        public void onComplete() {
            // samples() is read once the body is complete
        }

        List<long[]> samples() {
            return List.copyOf(samples);
        }
    }
}
