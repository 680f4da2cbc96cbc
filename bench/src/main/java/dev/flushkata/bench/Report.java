package dev.flushkata.bench;

import dev.flushkata.plumbing.Percentiles;
import java.util.List;
import java.util.Locale;

/** A run's findings as two tables, each target beside the backend alone ("direct", the first target). */
final class Report {

    static final String THROUGHPUT_NOTE = """
            req/s: answers in full per second, %d requests in flight, the bench's own client on the same
            cores; x direct: against the backend alone in the same run. CPU us/req, kernel %% and threads/req:
            of the process the client talks to (the proxy; for direct, the backend): its CPU time (from the
            OS), the kernel's part of it (/proc/PID/stat) and its java.threads.started counter (jcmd
            PerfCounter.print), before and after each measured round.
            """;
    static final String MEMORY_NOTE = """
            RSS: the process's resident memory (VmRSS) after the load; peak: its VmHWM. chunk delay: when
            each chunk of GET %s
            reached the client, minus when the backend sent it (chunk i: i x %d ms after the request),
            p50 and max over every chunk; with length: the same with a Content-Length (&length=true);
            events: the same as text/event-stream (&type=text/event-stream).
            """;

    private final List<String> about;
    private final List<TargetFigures> targets;
    private final List<Body> bodies;
    private final int concurrency;

    /** about: lines on the run (machine, command), for the Markdown; targets: direct first. */
    Report(List<String> about, List<TargetFigures> targets, List<Body> bodies, int concurrency) {
        this.about = about;
        this.targets = targets;
        this.bodies = bodies;
        this.concurrency = concurrency;
    }

    Table throughput() {
        Table t = new Table(3, "target", "flush", "body", "req/s", "x direct", "CPU us/req", "kernel %", "threads/req",
                "failed");
        for (Body b : bodies) {
            double direct = targets.get(0).throughput(b).perSecond();
            for (TargetFigures f : targets) {
                Throughput x = f.throughput(b);
                t.add(f.target, f.flush, b.title, fixed(x.perSecond(), 0), fixed(x.perSecond() / direct, 2),
                        fixed(x.cpuMicrosPerRequest(), 0), fixed(x.kernelPercent(), 0), fixed(x.threadsPerRequest(), 2),
                        Long.toString(x.failed()));
            }
        }
        return t;
    }

    Table memoryAndDelay() {
        Table t = new Table(2, "target", "flush", "RSS MiB", "peak MiB", "chunk delay p50 ms", "max ms",
                "with length p50 ms", "max ms", "events p50 ms", "max ms", "failed");
        for (TargetFigures f : targets) {
            Percentiles chunked = millis(f.delays(StreamKind.CHUNKED));
            Percentiles length = millis(f.delays(StreamKind.LENGTH));
            Percentiles events = millis(f.delays(StreamKind.EVENTS));
            t.add(f.target, f.flush, mib(f.rssKiB()), mib(f.peakKiB()), at(chunked, 0.5), at(chunked, 1),
                    at(length, 0.5), at(length, 1), at(events, 0.5), at(events, 1), Long.toString(f.streamFailures()));
        }
        return t;
    }

    /** The tables for the terminal, which has shown the lines about the run already. */
    String text() {
        return "throughput:\n" + throughput().text() + throughputNote()
                + "\nmemory and streaming:\n" + memoryAndDelay().text() + memoryNote();
    }

    String markdown() {
        return "# Bench run\n\n" + String.join("\n", about.stream().map(l -> "- " + l).toList()) + "\n\n## Throughput\n\n"
                + throughput().markdown() + "\n" + throughputNote() + "\n## Memory and streaming\n\n"
                + memoryAndDelay().markdown() + "\n" + memoryNote();
    }

    private String throughputNote() {
        return String.format(Locale.ROOT, THROUGHPUT_NOTE, concurrency);
    }

    private static String memoryNote() {
        return String.format(Locale.ROOT, MEMORY_NOTE, ChunkDelay.path(StreamKind.CHUNKED), ChunkDelay.DELAY_MS);
    }

    /** value with decimals, "-" when not known. */
    static String fixed(double value, int decimals) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static String mib(long kib) {
        return kib < 0 ? "-" : fixed(kib / 1024.0, 0);
    }

    /** Nanoseconds as milliseconds, to the tenth. */
    private static Percentiles millis(List<Long> nanos) {
        return new Percentiles(nanos.stream().map(n -> Math.round(n / 1e5)).toList());
    }

    private static String at(Percentiles tenthsOfMillis, double p) {
        return tenthsOfMillis.count() == 0 ? "-" : fixed(tenthsOfMillis.at(p) / 10.0, 1);
    }
}
