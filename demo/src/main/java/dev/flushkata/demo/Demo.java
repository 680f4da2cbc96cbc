package dev.flushkata.demo;

import dev.flushkata.leakcheck.ThreadSnapshot;
import dev.flushkata.leakcheck.Threads;
import dev.flushkata.plumbing.BackendClient;
import dev.flushkata.plumbing.JdkClients;
import dev.flushkata.plumbing.CommandLine;
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
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** The main job: every lesson's proxy under the same load, side by side, the leak visible as it happens. */
public final class Demo {

    static final String USAGE = """
            usage: java -jar demo/target/demo.jar [options]
              --requests N         requests per lesson (default 300)
              --concurrency N      requests in flight per lesson (default 8)
              --flush-interval D   the proxies' flush interval (default 100ms; 0 for none)
              --duration D         stop starting requests after D (default 30s)
              --settle D           then watch the threads for D more (default 3s)
              --lessons A,B        lessons to run, by name or prefix (default: all on the class path)
              --path P             what each request asks the backend (default /stream?chunks=3&size=64&delayMs=50)
              --output DIR         where the chart goes (default target/demo)
              --plain              no live redrawing, even on a terminal
            """;

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
        Options options = CommandLine.parseOrExit(() -> parse(args, Lesson.all()), USAGE);
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

    /** The options, or null for --help. */
    static Options parse(String[] args, List<Lesson> available) {
        CommandLine cl = CommandLine.parse(plainFlag(args),
                Set.of("requests", "concurrency", "flush-interval", "duration", "settle", "lessons", "path", "output", "plain"));
        if (cl.help()) {
            return null;
        }
        Duration flush = cl.duration("flush-interval", Duration.ofMillis(100));
        if (flush.isNegative()) {
            throw new CommandLine.UsageException("--flush-interval must not be negative (0: no flusher at all)");
        }
        Duration duration = cl.duration("duration", Duration.ofSeconds(30));
        Duration settle = cl.duration("settle", Duration.ofSeconds(3));
        if (duration.isNegative() || duration.isZero() || settle.isNegative()) {
            throw new CommandLine.UsageException("--duration must be positive and --settle not negative");
        }
        String path = cl.string("path", "/stream?chunks=3&size=64&delayMs=50");
        if (!path.startsWith("/")) {
            throw new CommandLine.UsageException("--path must start with /, got '" + path + "'");
        }
        return new Options(cl.integer("requests", 300, 1, 100_000), cl.integer("concurrency", 8, 1, 256), flush,
                duration, settle, select(available, cl.string("lessons", "")), path,
                Path.of(cl.string("output", "target/demo")), Boolean.parseBoolean(cl.string("plain", "false")));
    }

    /** --plain takes no value; CommandLine wants one. */
    private static String[] plainFlag(String[] args) {
        List<String> out = new ArrayList<>();
        for (String a : args) {
            out.add(a);
            if (a.equals("--plain")) {
                out.add("true");
            }
        }
        return out.toArray(String[]::new);
    }

    static List<Lesson> select(List<Lesson> available, String wanted) {
        if (available.isEmpty()) {
            throw new CommandLine.UsageException("no lesson on the class path");
        }
        if (wanted.isBlank()) {
            return available;
        }
        List<Lesson> chosen = new ArrayList<>();
        for (String w : wanted.split(",")) {
            List<Lesson> match = available.stream().filter(l -> l.name().startsWith(w.trim())).toList();
            if (match.isEmpty()) {
                throw new CommandLine.UsageException("--lessons: no lesson named '" + w.trim() + "'; there are "
                        + available.stream().map(Lesson::name).toList());
            }
            match.stream().filter(l -> !chosen.contains(l)).forEach(chosen::add);
        }
        return chosen;
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
