package dev.flushkata.bench;

import dev.flushkata.plumbing.Causes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How many slow streams a proxy holds at once, and what each costs it: N clients ask at once for a stream of
 * CHUNKS chunks DELAY_MS apart; once every one has its first chunk (or HOLD_DEADLINE has passed), the proxy's
 * resident memory and OS threads are read, then every stream must end complete.
 */
final class HeldStreams {

    static final int CHUNKS = 20;
    static final int SIZE = 16;
    static final int DELAY_MS = 1000;
    static final String PATH = "/stream?chunks=" + CHUNKS + "&size=" + SIZE + "&delayMs=" + DELAY_MS;
    /** Long before the streams end (CHUNKS x DELAY_MS): the streams still open then are the ones held at once. */
    static final Duration HOLD_DEADLINE = Duration.ofSeconds(15);
    static final Duration STREAM_DEADLINE = Duration.ofSeconds(60);

    static final String NOTE = """
            streams: clients asking at once for GET %s (%d s each) through the proxy, run with --workers N
            (--queue 0); held: those that had their first chunk while none had ended, read once all had it (or
            after %d s) with the time that took; RSS idle / held: the proxy's VmRSS before the streams (after
            20 short streams one at a time) and while they were held, each read after a full GC (jcmd GC.run); KiB/stream: the difference over the streams held; threads:
            the proxy's OS threads (Threads in /proc/PID/status) idle and held; complete / 503 / failed: how the
            streams ended.
            """;

    /** One proxy's figures for one number of streams. */
    record Figures(String target, String flush, String workers, int streams, int held, double secondsToHold,
                   long rssIdleKiB, long rssHeldKiB, long threadsIdle, long threadsHeld, int complete, int rejected,
                   int failed) {

        double kibPerStream() {
            return held == 0 ? 0 : (double) (rssHeldKiB - rssIdleKiB) / held;
        }
    }

    private final HttpClient client;

    HeldStreams(HttpClient client) {
        this.client = client;
    }

    /** Opens streams streams through proxy (its process: jvm) at once, measures, waits for them all to end. */
    Figures run(ChildJvm jvm, String target, String flush, String workers, int streams) throws InterruptedException {
        warmUp(jvm.url());
        jvm.gc();
        String idle = ProcStatus.read(jvm.pid());
        List<Stream> all = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < streams; i++) {
            all.add(new Stream(client, jvm.url().resolve(PATH)));
        }
        try {
            CompletableFuture.allOf(all.stream().map(s -> s.first).toArray(CompletableFuture[]::new))
                    .get(HOLD_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            // counted below: held is what had its first chunk by now
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        jvm.gc();
        String heldStatus = ProcStatus.read(jvm.pid());
        int held = (int) all.stream().filter(s -> s.first.isDone() && !s.first.isCompletedExceptionally()).count();
        boolean anyEnded = all.stream().anyMatch(s -> s.done.isDone() && !s.done.isCompletedExceptionally());
        if (anyEnded) {
            throw new IllegalStateException(target + ": a stream ended before all were open; the figures would"
                    + " not be of streams held at once");
        }
        try {
            CompletableFuture.allOf(all.stream().map(s -> s.done.exceptionally(x -> -1L)).toArray(CompletableFuture[]::new))
                    .get(STREAM_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            // counted below as failed
        }
        int complete = 0;
        int rejected = 0;
        int failed = 0;
        String firstFailure = null;
        for (Stream s : all) {
            if (s.status == 503) {
                rejected++;
            } else if (s.done.isDone() && !s.done.isCompletedExceptionally() && s.done.join() == (long) CHUNKS * SIZE
                    && s.status == 200) {
                complete++;
            } else {
                failed++;
                if (firstFailure == null) {
                    firstFailure = s.done.isCompletedExceptionally()
                            ? Causes.chain(s.done.handle((v, x) -> x).join()) : "status " + s.status;
                }
            }
        }
        if (firstFailure != null) {
            System.out.printf("  %s: %d stream(s) failed, the first with: %s%n", target, failed, firstFailure);
        }
        return new Figures(target, flush, workers, streams, held, seconds, ProcStatus.kib(idle, "VmRSS"),
                ProcStatus.kib(heldStatus, "VmRSS"), ProcStatus.number(idle, "Threads"),
                ProcStatus.number(heldStatus, "Threads"), complete, rejected, failed);
    }

    /**
     * A few short streams one after the other, so that the idle figures include the classes a stream needs but
     * not the workers the streams will start.
     */
    private void warmUp(URI proxy) throws InterruptedException {
        for (int i = 0; i < 20; i++) {
            try {
                client.send(HttpRequest.newBuilder(proxy.resolve("/stream?chunks=3&size=16&delayMs=10"))
                        .timeout(STREAM_DEADLINE).build(), HttpResponse.BodyHandlers.discarding());
            } catch (java.io.IOException e) {
                throw new IllegalStateException("the warm-up failed: " + Causes.chain(e), e);
            }
        }
    }

    /** One client's stream: first completes with its first bytes, done with the body's length at its end. */
    private static final class Stream implements Flow.Subscriber<List<ByteBuffer>> {
        final CompletableFuture<Void> first = new CompletableFuture<>();
        final CompletableFuture<Long> done = new CompletableFuture<>();
        volatile int status;
        private long bytes;

        Stream(HttpClient client, URI uri) {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(STREAM_DEADLINE).build();
            client.sendAsync(request, info -> {
                status = info.statusCode();
                return HttpResponse.BodySubscribers.fromSubscriber(this);
            }).whenComplete((res, failure) -> {
                if (failure != null) {
                    first.completeExceptionally(failure);
                    done.completeExceptionally(failure);
                }
            });
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            bytes += buffers.stream().mapToLong(ByteBuffer::remaining).sum();
            if (bytes > 0 && status == 200) {
                first.complete(null);
            }
        }

        @Override
        public void onError(Throwable failure) {
            first.completeExceptionally(failure);
            done.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            first.completeExceptionally(new IllegalStateException("ended with status " + status + " after " + bytes + " bytes"));
            done.complete(bytes);
        }
    }

    /** The figures as a table, one row per proxy and number of streams. */
    static Table table(List<Figures> rows) {
        Table t = new Table(3, "target", "flush", "workers", "streams", "held", "s to hold", "RSS idle MiB",
                "RSS held MiB", "KiB/stream", "threads idle", "threads held", "complete", "503", "failed");
        for (Figures f : rows) {
            t.add(f.target(), f.flush(), f.workers(), Integer.toString(f.streams()), Integer.toString(f.held()),
                    String.format(Locale.ROOT, "%.1f", f.secondsToHold()), mib(f.rssIdleKiB()), mib(f.rssHeldKiB()),
                    String.format(Locale.ROOT, "%.0f", f.kibPerStream()), Long.toString(f.threadsIdle()),
                    Long.toString(f.threadsHeld()), Integer.toString(f.complete()), Integer.toString(f.rejected()),
                    Integer.toString(f.failed()));
        }
        return t;
    }

    private static String mib(long kib) {
        return kib < 0 ? "-" : Long.toString(Math.round(kib / 1024.0));
    }
}
