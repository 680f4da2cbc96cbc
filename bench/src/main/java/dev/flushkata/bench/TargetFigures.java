package dev.flushkata.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Everything measured of one target over a run: throughput per body, memory after the load, chunk delays. */
final class TargetFigures {

    final String target;
    final String flush;
    private final Map<Body, Throughput> throughput = new EnumMap<>(Body.class);
    private final Map<StreamKind, List<Long>> delays = new EnumMap<>(StreamKind.class);
    private long streamFailures;
    private long rssKiB = -1;
    private long peakKiB = -1;

    /** target: "direct" or a lesson; flush: its flush interval as typed, "-" for direct. */
    TargetFigures(String target, String flush) {
        this.target = target;
        this.flush = flush;
    }

    synchronized void add(Body body, Throughput t) {
        throughput.merge(body, t, Throughput::plus);
    }

    synchronized Throughput throughput(Body body) {
        return throughput.getOrDefault(body, Throughput.NONE);
    }

    /** One streamed request's extra delay per chunk, in nanoseconds. */
    synchronized void addDelays(StreamKind kind, long[] nanos) {
        for (long n : nanos) {
            delays.computeIfAbsent(kind, k -> new ArrayList<>()).add(n);
        }
    }

    synchronized void streamFailed() {
        streamFailures++;
    }

    synchronized List<Long> delays(StreamKind kind) {
        return List.copyOf(delays.getOrDefault(kind, List.of()));
    }

    synchronized long streamFailures() {
        return streamFailures;
    }

    synchronized void memory(long rssKiB, long peakKiB) {
        this.rssKiB = rssKiB;
        this.peakKiB = peakKiB;
    }

    synchronized long rssKiB() {
        return rssKiB;
    }

    synchronized long peakKiB() {
        return peakKiB;
    }
}
