package dev.flushkata.bench;

import dev.flushkata.plumbing.Causes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
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
            (--queue 0); held: those that had their first chunk and had not ended, read once all had it (or
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
    private final java.util.concurrent.Executor readers;

    /** client sends the requests; readers runs one task per stream, reading it to its end. */
    HeldStreams(HttpClient client, java.util.concurrent.Executor readers) {
        this.client = client;
        this.readers = readers;
    }

    /** Opens streams streams through proxy (its process: jvm) at once, measures, waits for them all to end. */
    Figures run(ChildJvm jvm, String target, String flush, String workers, int streams) throws InterruptedException {
        warmUp(jvm.url());
        jvm.gc();
        String idle = ProcStatus.read(jvm.pid());
        List<Stream> all = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < streams; i++) {
            all.add(new Stream(client, jvm.url().resolve(PATH), readers));
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
        int held = (int) all.stream().filter(s -> s.first.isDone() && !s.first.isCompletedExceptionally()
                && !s.done.isDone()).count();
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

    /**
     * One client's stream, read on a thread of its own (the plainest reading, whatever the client library
     * buffers): first completes with its first byte, done with the body's length at its end.
     */
    private static final class Stream {
        final CompletableFuture<Void> first = new CompletableFuture<>();
        final CompletableFuture<Long> done = new CompletableFuture<>();
        volatile int status;

        Stream(HttpClient client, URI uri, java.util.concurrent.Executor readers) {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(STREAM_DEADLINE).build();
            readers.execute(() -> {
                try {
                    HttpResponse<java.io.InputStream> res = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
                    status = res.statusCode();
                    try (java.io.InputStream in = res.body()) {
                        long bytes = 0;
                        if (in.read() >= 0) {
                            bytes++;
                            if (status == 200) {
                                first.complete(null);
                            }
                        }
                        bytes += in.transferTo(java.io.OutputStream.nullOutputStream());
                        first.completeExceptionally(new IllegalStateException("status " + status + ", " + bytes + " bytes"));
                        done.complete(bytes);
                    }
                } catch (Exception e) {
                    first.completeExceptionally(e);
                    done.completeExceptionally(e);
                }
            });
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
