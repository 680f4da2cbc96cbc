package dev.flushkata.bench;

import dev.flushkata.plumbing.Cli;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What one bench run does: which lessons at which flush intervals, which bodies, how long and how hard. */
record BenchOptions(List<String> lessons, List<Duration> flushIntervals, List<Body> bodies, int concurrency,
                    int warmupSeconds, int rounds, int roundSeconds, int streamRequests, List<String> proxyJvmArgs,
                    List<String> jfr, Path root, Path output, List<Integer> heldStreams) {

    /** The command line; picocli writes the usage from it. */
    @Command(name = "java -jar bench/target/bench.jar", sortOptions = false, abbreviateSynopsis = true,
            usageHelpWidth = 100,
            description = "What each lesson's design costs: the backend and each lesson's proxy as their own JVMs,"
                    + " the same load to each in turn.")
    static final class Args {
        @Spec
        CommandSpec spec;

        @Option(names = "--lessons", paramLabel = "NAME", split = ",", defaultValue = "lesson-02,lesson-03,lesson-04",
                description = "lessons to bench, by name or prefix (default: ${DEFAULT-VALUE}; lesson-01 at a"
                        + " non-zero interval leaks a thread per request, which soon slows every other process"
                        + " on the machine)")
        List<String> lessons;

        @Option(names = "--flush-intervals", paramLabel = "D", split = ",", defaultValue = "100ms,0",
                converter = Cli.Dur.class,
                description = "each lesson runs once per interval (default: ${DEFAULT-VALUE})")
        List<Duration> flushIntervals;

        @Option(names = "--bodies", paramLabel = "BODY", split = ",", defaultValue = "tiny,64k",
                converter = BodyName.class,
                description = "tiny (GET /, 2 bytes), 64k (GET /bytes?size=65536) or both (default: ${DEFAULT-VALUE})")
        List<Body> bodies;

        @Option(names = "--concurrency", paramLabel = "N", defaultValue = "16",
                description = "requests in flight, like wrk -c (default: ${DEFAULT-VALUE})")
        int concurrency;

        @Option(names = "--warmup", paramLabel = "N", defaultValue = "15",
                description = "seconds of warm-up per target and body (default: ${DEFAULT-VALUE})")
        int warmup;

        @Option(names = "--rounds", paramLabel = "N", defaultValue = "3",
                description = "measured rounds, each over every target and body in turn (default: ${DEFAULT-VALUE})")
        int rounds;

        @Option(names = "--seconds", paramLabel = "N", defaultValue = "3",
                description = "seconds per target and body in each round (default: ${DEFAULT-VALUE})")
        int seconds;

        @Option(names = "--stream-requests", paramLabel = "N", defaultValue = "4",
                description = "streamed requests per target, kind and round for the chunk delay"
                        + " (default: ${DEFAULT-VALUE}; 0 skips it)")
        int streamRequests;

        @Option(names = "--held-streams", paramLabel = "N", split = ",",
                description = "instead of the load: N slow streams at once through each proxy, run with --workers N"
                        + " on platform threads and (JDK 21+) on virtual threads; the streams held, the proxy's"
                        + " resident memory and OS threads (e.g. 1000,2000; at most " + MAX_HELD + ")")
        List<Integer> heldStreams;

        @Option(names = "--proxy-jvm-args", paramLabel = "OPTIONS", defaultValue = "",
                description = "JVM options for every proxy, e.g. \"-Xmx32m -XX:+UseSerialGC\"")
        String proxyJvmArgs;

        @Option(names = "--jfr", paramLabel = "NAME", split = ",",
                description = "record these lessons' proxies with JFR (settings=profile) into the output folder,"
                        + " written when the bench stops them")
        List<String> jfr;

        @Option(names = "--root", paramLabel = "DIR", defaultValue = ".",
                description = "the kata's checkout, holding <lesson>/target/<lesson>.jar (default: ${DEFAULT-VALUE})")
        Path root;

        @Option(names = "--output", paramLabel = "DIR", defaultValue = "target/bench",
                description = "where bench.md and bench.png go (default: ${DEFAULT-VALUE})")
        Path output;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this help and exit")
        boolean help;

        BenchOptions options() {
            if (flushIntervals.stream().anyMatch(Duration::isNegative)) {
                throw Cli.bad(spec, "--flush-intervals must not be negative");
            }
            return new BenchOptions(names(lessons), flushIntervals, bodies.stream().distinct().toList(),
                    Cli.between(spec, "--concurrency", concurrency, 1, 256), Cli.between(spec, "--warmup", warmup, 0, 600),
                    Cli.between(spec, "--rounds", rounds, 1, 100), Cli.between(spec, "--seconds", seconds, 1, 600),
                    Cli.between(spec, "--stream-requests", streamRequests, 0, 32), words(proxyJvmArgs), names(jfr),
                    root, output, held());
        }

        private List<Integer> held() {
            if (heldStreams == null) {
                return List.of();
            }
            heldStreams.forEach(n -> Cli.between(spec, "--held-streams", n, 1, MAX_HELD));
            return List.copyOf(heldStreams);
        }
    }

    /** The most streams --held-streams opens at once: each takes a socket on each side of the proxy. */
    static final int MAX_HELD = 5000;

    /** tiny, 64k: see Body. */
    static final class BodyName extends Cli.ByParse<Body> {
        BodyName() {
            super(Body::of);
        }
    }

    /** The options, or null for --help; a ParameterException for a bad command line. */
    static BenchOptions parse(String[] args) {
        Args a = new Args();
        if (Cli.parse(a, args).isUsageHelpRequested()) {
            return null;
        }
        return a.options();
    }

    /** The comma-separated values picocli split, trimmed, none empty; none when the option is absent. */
    private static List<String> names(List<String> values) {
        return values == null ? List.of() : values.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }
}
