package dev.flushkata.bench;

import dev.flushkata.plumbing.CommandLine;
import dev.flushkata.plumbing.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** What one bench run does: which lessons at which flush intervals, which bodies, how long and how hard. */
record BenchOptions(List<String> lessons, List<Duration> flushIntervals, List<Body> bodies, int concurrency,
                    int warmupSeconds, int rounds, int roundSeconds, int streamRequests, List<String> proxyJvmArgs,
                    List<String> jfr, Path root, Path output) {

    static final String USAGE = """
            usage: java -jar bench/target/bench.jar [options]
              --lessons A,B            lessons to bench, by name or prefix (default lesson-02,lesson-03;
                                       lesson-01 at a non-zero interval leaks a thread per request, which
                                       soon slows every other process on the machine)
              --flush-intervals D,D    each lesson runs once per interval (default 100ms,0)
              --bodies B,B             tiny (GET /, 2 bytes) and/or 64k (GET /bytes?size=65536) (default both)
              --concurrency N          requests in flight, like wrk -c (default 16)
              --warmup N               seconds of warm-up per target and body (default 2)
              --rounds N               measured rounds, each over every target and body in turn (default 3)
              --seconds N              seconds per target and body in each round (default 3)
              --stream-requests N      streamed requests per target, kind and round for the chunk delay
                                       (default 4; 0 skips it)
              --proxy-jvm-args "A B"   JVM options for every proxy, e.g. "-Xmx32m -XX:+UseSerialGC"
              --jfr A,B                record these lessons' proxies with JFR (settings=profile) into the
                                       output folder, written when the bench stops them
              --root DIR               the kata's checkout, holding <lesson>/target/<lesson>.jar (default .)
              --output DIR             where bench.md and bench.png go (default target/bench)
            """;

    /** The options, or null for --help. */
    static BenchOptions parse(String[] args) {
        CommandLine cl = CommandLine.parse(args, Set.of("lessons", "flush-intervals", "bodies", "concurrency",
                "warmup", "rounds", "seconds", "stream-requests", "proxy-jvm-args", "jfr", "root", "output"));
        if (cl.help()) {
            return null;
        }
        List<Duration> intervals;
        List<Body> bodies;
        try {
            intervals = list(cl.string("flush-intervals", "100ms,0")).stream().map(Durations::parse).toList();
            bodies = list(cl.string("bodies", "tiny,64k")).stream().map(Body::of).distinct().toList();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.UsageException(e.getMessage());
        }
        if (intervals.stream().anyMatch(Duration::isNegative) || intervals.isEmpty() || bodies.isEmpty()) {
            throw new CommandLine.UsageException("--flush-intervals and --bodies need at least one value, none negative");
        }
        return new BenchOptions(list(cl.string("lessons", "lesson-02,lesson-03")), intervals, bodies,
                cl.integer("concurrency", 16, 1, 256), cl.integer("warmup", 2, 0, 600), cl.integer("rounds", 3, 1, 100),
                cl.integer("seconds", 3, 1, 600), cl.integer("stream-requests", 4, 0, 32),
                words(cl.string("proxy-jvm-args", "")), list(cl.string("jfr", "")),
                Path.of(cl.string("root", ".")), Path.of(cl.string("output", "target/bench")));
    }

    /** The comma-separated values of text, trimmed, none empty. */
    static List<String> list(String text) {
        return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }
}
