package dev.flushkata.demo;

import dev.flushkata.leakcheck.ThreadSnapshot;
import dev.flushkata.leakcheck.Threads;
import dev.flushkata.plumbing.BackendClient;
import dev.flushkata.plumbing.JdkClients;
import dev.flushkata.plumbing.Cli;
import dev.flushkata.plumbing.Durations;
import dev.flushkata.plumbing.Lesson;
import dev.flushkata.plumbing.Percentiles;
import dev.flushkata.plumbing.Server;
import dev.flushkata.plumbing.StreamingBackend;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The main job: every lesson's proxy under the same load, side by side, the leak visible as it happens. */
public final class Demo {

    /** The command line; picocli writes the usage from it. */
    @Command(name = "java -jar demo/target/demo.jar", sortOptions = false, abbreviateSynopsis = true,
            usageHelpWidth = 100,
            description = "Every lesson's proxy under the same load, side by side: the leaked flushers as they pile up.")
    static final class Args {
        @Spec
        CommandSpec spec;

        @Option(names = "--requests", paramLabel = "N", defaultValue = "300",
                description = "requests per lesson (default: ${DEFAULT-VALUE})")
        int requests;

        @Option(names = "--concurrency", paramLabel = "N", defaultValue = "8",
                description = "requests in flight per lesson (default: ${DEFAULT-VALUE})")
        int concurrency;

        @Option(names = "--flush-interval", paramLabel = "D", defaultValue = "100ms", converter = Cli.Dur.class,
                description = "the proxies' flush interval (default: ${DEFAULT-VALUE}; 0 for none)")
        Duration flushInterval;

        @Option(names = "--duration", paramLabel = "D", defaultValue = "30s", converter = Cli.Dur.class,
                description = "stop starting requests after D (default: ${DEFAULT-VALUE})")
        Duration duration;

        @Option(names = "--settle", paramLabel = "D", defaultValue = "3s", converter = Cli.Dur.class,
                description = "then watch the threads for D more (default: ${DEFAULT-VALUE})")
        Duration settle;

        @Option(names = "--lessons", paramLabel = "NAME", split = ",",
                description = "lessons to run, by name or prefix (default: all on the class path)")
        List<String> lessons;

        @Option(names = "--path", paramLabel = "P", defaultValue = "/stream?chunks=3&size=64&delayMs=50",
                description = "each request's path (default: ${DEFAULT-VALUE})")
        String path;

        @Option(names = "--output", paramLabel = "DIR", defaultValue = "target/demo",
                description = "where the chart goes (default: ${DEFAULT-VALUE})")
        Path output;

        @Option(names = "--plain", description = "no live redrawing, even on a terminal")
        boolean plain;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this help and exit")
        boolean help;

        Options options(List<Lesson> available) {
            if (flushInterval.isNegative()) {
                throw Cli.bad(spec, "--flush-interval must not be negative (0: no flusher at all)");
            }
            if (duration.isNegative() || duration.isZero() || settle.isNegative()) {
                throw Cli.bad(spec, "--duration must be positive and --settle not negative");
            }
            if (!path.startsWith("/")) {
                throw Cli.bad(spec, "--path must start with /, got '" + path + "'");
            }
            return new Options(Cli.between(spec, "--requests", requests, 1, 100_000),
                    Cli.between(spec, "--concurrency", concurrency, 1, 256), flushInterval, duration, settle,
                    select(available), path, output, plain);
        }

        private List<Lesson> select(List<Lesson> available) {
            if (available.isEmpty()) {
                throw Cli.bad(spec, "no lesson on the class path");
            }
            List<String> wanted = lessons == null ? List.of()
                    : lessons.stream().map(String::trim).filter(w -> !w.isEmpty()).toList();
            if (wanted.isEmpty()) {
                return available;
            }
            List<Lesson> chosen = new ArrayList<>();
            for (String w : wanted) {
                List<Lesson> match = available.stream().filter(l -> l.name().startsWith(w)).toList();
                if (match.isEmpty()) {
                    throw Cli.bad(spec, "--lessons: no lesson named '" + w + "'; there are "
                            + available.stream().map(Lesson::name).toList());
                }
                match.stream().filter(l -> !chosen.contains(l)).forEach(chosen::add);
            }
            return chosen;
        }
    }

    record Options(int requests, int concurrency, Duration flushInterval, Duration duration, Duration settle,
                   List<Lesson> lessons, String path, Path output, boolean plain) {
    }

    private final Options options;
    private final PrintStream out;
    private final boolean live;
    private final Map<String, List<double[]>> timeline = new LinkedHashMap<>();

    Demo(Options options, PrintStream out, boolean live) {
        this.options = options;
        this.out = out;
        this.live = live;
    }

    public static void main(String[] args) {
        Options options = Cli.parseOrExit(() -> parse(args, Lesson.all()), new Args());
        if (options == null) {
            return;
        }
        try {
            new Demo(options, System.out, !options.plain() && isTerminal()).run();
        } catch (Exception e) {
            System.err.println("demo failed: " + e);
            System.exit(1);
        }
    }

    /** The options, or null for --help; a ParameterException for a bad command line. */
    static Options parse(String[] args, List<Lesson> available) {
        Args a = new Args();
        if (Cli.parse(a, args).isUsageHelpRequested()) {
            return null;
        }
        return a.options(available);
    }

    /** A terminal on both ends; JDK 22+ says so itself (Console.isTerminal), earlier a console means one. */
    static boolean isTerminal() {
        var console = System.console();
        if (console == null || "dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        try {
            return (Boolean) console.getClass().getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    /** Runs the load, shows it live, prints the summary and writes the chart; the final rows. */
    List<Row> run() throws Exception {
        ThreadSnapshot before = ThreadSnapshot.take();
        List<Lesson> lessons = options.lessons();
        out.printf("flush-interval demo: %d requests per lesson, %d at a time, flush interval %s, GET %s%n",
                options.requests(), options.concurrency(), Durations.format(options.flushInterval()), options.path());
        List<Row> summary;
        ExecutorService clientThreads = Executors.newCachedThreadPool(Server.daemonThreads("demo-client-"));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(clientThreads).build();
        List<LessonLoad> loads = new ArrayList<>();
        try (StreamingBackend backend = StreamingBackend.start()) {
            for (Lesson l : lessons) {
                loads.add(new LessonLoad(l, backend.url(), options.flushInterval(), options.concurrency()));
                timeline.put(l.name(), new ArrayList<>());
            }
            long start = System.nanoTime();
            long deadline = start + options.duration().toNanos();
            loads.forEach(load -> load.start(client, options.path(), options.requests(), deadline));

            watch("load running", loads, start, () -> loads.stream().allMatch(LessonLoad::finished));
            double loadEnd = seconds(start);
            // A client can have its whole body before the handler is out of its finally: count once they are.
            awaitHandlersReturned(loads);
            List<Row> rows = sample(loads, start);
            summary(rows, "after the load (" + String.format("%.1f", loadEnd) + " s)", null);

            long settleEnd = System.nanoTime() + options.settle().toNanos();
            List<Row> later = watch("load stopped, watching the threads", loads, start,
                    () -> System.nanoTime() - settleEnd >= 0);
            summary = merge(rows, later);
            summary(summary, "summary", "flushers " + Durations.format(options.settle()) + " later");

            loads.stream().filter(l -> l.firstFailure() != null).forEach(l -> out.printf(
                    "%s: %d request(s) failed, the first with: %s%n", l.lesson.name(), l.failed(), l.firstFailure()));
            Path png = options.output().resolve("flusher-threads.png");
            writeChart(png, loadEnd);
        } finally {
            loads.forEach(LessonLoad::close);
            stopLeakedFlushers();
            JdkClients.shutdownNow(client);
            clientThreads.shutdownNow();
        }
        List<Thread> left = before.awaitNoNewThreads(Threads::isJdkHttpClientSelector, Duration.ofSeconds(5));
        out.printf("threads left behind by the demo: %d%s%n", left.size(),
                left.isEmpty() ? "" : " " + left.stream().map(Thread::getName).toList());
        return summary;
    }

    /** Samples every lesson until done says so, redrawing the table (or printing a line a second). */
    private List<Row> watch(String phase, List<LessonLoad> loads, long start, java.util.function.BooleanSupplier done)
            throws InterruptedException {
        List<Row> rows = sample(loads, start);
        int drawn = 0;
        long lastPlain = 0;
        while (!done.getAsBoolean()) {
            if (live) {
                drawn = redraw(String.format("t=%.1fs  %s", seconds(start), phase), rows, drawn);
            } else if (System.nanoTime() - lastPlain > 1_000_000_000L) {
                lastPlain = System.nanoTime();
                out.printf("t=%.1fs %s%n", seconds(start), String.join("  ", rows.stream()
                        .map(r -> r.lesson() + " " + r.done() + "/" + r.requested() + " flushers=" + r.flushers())
                        .toList()));
            }
            Thread.sleep(100); // the sampling period: this loop measures, it does not wait for a condition
            rows = sample(loads, start);
        }
        if (live && drawn > 0) {
            clear(drawn);
        }
        return rows;
    }

    private List<Row> sample(List<LessonLoad> loads, long start) {
        Map<String, Integer> flushers = FlusherCensus.count(loads.stream().map(l -> l.lesson).toList());
        double t = seconds(start);
        List<Row> rows = new ArrayList<>();
        for (LessonLoad load : loads) {
            int live = flushers.get(load.lesson.name());
            timeline.get(load.lesson.name()).add(new double[] {t, live});
            Percentiles p = load.firstChunk();
            rows.add(new Row(load.lesson.name(), load.done(), load.submitted(), load.failed(), live,
                    load.proxy.stats().flushesAfterClose(), millis(p.at(0.50)), millis(p.at(0.99)), -1));
        }
        return rows;
    }

    private int redraw(String status, List<Row> rows, int drawn) {
        StringBuilder sb = new StringBuilder();
        if (drawn > 0) {
            sb.append("\033[").append(drawn).append('F');
        }
        List<String> lines = new ArrayList<>();
        lines.add(status);
        lines.add(Row.header(null));
        rows.forEach(r -> lines.add(r.line(null)));
        lines.forEach(l -> sb.append("\033[2K").append(l).append('\n'));
        out.print(sb);
        out.flush();
        return lines.size();
    }

    private void clear(int drawn) {
        out.print("\033[" + drawn + "F" + "\033[0J");
        out.flush();
    }

    private void summary(List<Row> rows, String when, String laterTitle) {
        out.println();
        out.println(when + ":");
        out.println(Row.header(laterTitle));
        rows.forEach(r -> out.println(r.line(laterTitle)));
    }

    /** The rows of the load's end, with the flusher counts of the settle's end. */
    static List<Row> merge(List<Row> atLoadEnd, List<Row> later) {
        List<Row> merged = new ArrayList<>();
        for (int i = 0; i < atLoadEnd.size(); i++) {
            Row r = atLoadEnd.get(i);
            Row l = later.get(i);
            merged.add(new Row(r.lesson(), r.done(), r.requested(), r.failed(), r.flushers(), l.lateFlushes(),
                    r.p50Millis(), r.p99Millis(), l.flushers()));
        }
        return merged;
    }

    private void writeChart(Path png, double loadEnd) {
        try {
            Files.createDirectories(png.getParent());
            ThreadChart.write(png, "Live flusher threads, " + options.requests() + " requests per lesson, flush interval "
                    + Durations.format(options.flushInterval()), timeline, loadEnd);
            out.println();
            out.println("chart: " + png.toAbsolutePath());
        } catch (IOException | RuntimeException | Error e) {
            // A machine without fonts cannot draw text: say so, keep the figures above.
            out.println("chart not written (" + e + ")");
        }
    }

    /** Every proxy's handlers have returned, or 30 s have passed (then the table says what it saw). */
    private static void awaitHandlersReturned(List<LessonLoad> loads) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (loads.stream().anyMatch(l -> l.proxy.server().busyWorkers() > 0) && System.nanoTime() < end) {
            Thread.sleep(10);
        }
    }

    /** The demo leaked lesson-01's flushers on purpose; interrupt them so the JVM ends clean. */
    private static void stopLeakedFlushers() throws InterruptedException {
        Threads.interrupt(Threads.matching(Threads.namePrefix(FlusherCensus.PREFIX)));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Threads.count(Threads.namePrefix(FlusherCensus.PREFIX)) > 0 && System.nanoTime() < end) {
            Thread.sleep(20);
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static long millis(long nanos) {
        return nanos < 0 ? -1 : Math.round(nanos / 1e6);
    }
}
