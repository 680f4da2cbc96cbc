package dev.flushkata.bench;

import dev.flushkata.plumbing.BackendClient;
import dev.flushkata.plumbing.JdkClients;
import dev.flushkata.plumbing.Causes;
import dev.flushkata.plumbing.Cli;
import dev.flushkata.plumbing.Durations;
import dev.flushkata.plumbing.Server;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * What each lesson's design costs: the streaming backend and each lesson's proxy run as their own JVMs; the
 * same closed-loop load goes to each in turn, round after round, so that any drift of the machine hits all
 * alike; then each one's figures beside the backend's own.
 */
public final class Bench {

    /** A server under load: the backend itself (direct) or a lesson's proxy, and where its figures go. */
    private record Target(TargetFigures figures, ChildJvm server) {
    }

    private final BenchOptions options;
    private final String commandLine;
    private final PrintStream out;
    private final List<ChildJvm> children = new CopyOnWriteArrayList<>();
    private final List<Target> targets = new ArrayList<>();

    Bench(BenchOptions options, String commandLine, PrintStream out) {
        this.options = options;
        this.commandLine = commandLine;
        this.out = out;
    }

    public static void main(String[] args) {
        BenchOptions options = Cli.parseOrExit(() -> BenchOptions.parse(args), new BenchOptions.Args());
        if (options == null) {
            return;
        }
        try {
            System.exit(new Bench(options, String.join(" ", args), System.out).run() ? 0 : 1);
        } catch (LessonJars.NoJar e) {
            // a lesson named on the command line that was never built: bad usage too, seen only once looked for
            ParameterException bad = new ParameterException(new CommandLine(new BenchOptions.Args()), e.getMessage());
            System.exit(Cli.usageError(bad, new PrintWriter(System.err, true)));
        } catch (Exception e) {
            System.err.println("bench failed: " + Causes.chain(e));
            System.exit(1);
        }
    }

    /** Runs the bench, prints and writes the report; true when every request was answered in full. */
    boolean run() throws Exception {
        List<Path> jars = LessonJars.find(options.root(), options.lessons());
        Files.createDirectories(options.output());
        String loadAtStart = Machine.loadAverage();
        List<String> about = new ArrayList<>(List.of("machine: " + Machine.describe(),
                "load average (1, 5, 15 min) at the start: " + loadAtStart,
                "bench options: " + (commandLine.isBlank() ? "(defaults)" : commandLine),
                "proxies' JVM options: " + (options.proxyJvmArgs().isEmpty() ? "(JVM defaults)"
                        : String.join(" ", options.proxyJvmArgs()))));
        about.forEach(out::println);
        Thread stopServers = new Thread(() -> children.forEach(ChildJvm::close), "bench-stop-servers");
        Runtime.getRuntime().addShutdownHook(stopServers); // Ctrl-C: no server outlives the bench
        ExecutorService httpThreads = Executors.newCachedThreadPool(Server.daemonThreads("bench-http-"));
        ExecutorService clientThreads = Executors.newFixedThreadPool(options.concurrency(), Server.daemonThreads("bench-client-"));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(httpThreads).build();
        try {
            if (!options.heldStreams().isEmpty()) {
                return heldStreams(jars, client, httpThreads, about);
            }
            startServers(jars);
            load(new ClosedLoop(client, clientThreads, options.concurrency()), client);
            for (Target t : targets) {
                long[] kib = t.server().residentKiB();
                t.figures().memory(kib[0], kib[1]);
            }
        } finally {
            children.forEach(ChildJvm::close);
            try {
                Runtime.getRuntime().removeShutdownHook(stopServers);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs, and finds them stopped
            }
            JdkClients.shutdownNow(client);
            clientThreads.shutdownNow();
            httpThreads.shutdownNow();
        }
        about.add("load average (1, 5, 15 min) at the end: " + Machine.loadAverage());
        out.println(about.get(about.size() - 1));
        return report(about, loadAtStart);
    }

    private void startServers(List<Path> jars) throws IOException, InterruptedException {
        ChildJvm backend = start("backend", List.of("-XX:+UsePerfData", "-cp", jars.get(0).toString(),
                "dev.flushkata.plumbing.StreamingBackend", "--listen", "127.0.0.1:0"));
        targets.add(new Target(new TargetFigures("direct", "-"), backend));
        for (Path jar : jars) {
            String lesson = LessonJars.lesson(jar);
            for (Duration interval : options.flushIntervals()) {
                String flush = Durations.format(interval);
                List<String> args = new ArrayList<>(options.proxyJvmArgs());
                args.add("-XX:+UsePerfData"); // last, so that it holds: threads/req needs the counters
                if (options.jfr().stream().anyMatch(lesson::startsWith)) {
                    args.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                            + options.output().resolve(lesson + "-" + flush + ".jfr"));
                }
                args.addAll(List.of("-jar", jar.toString(), "--backend", backend.url().toString(),
                        "--listen", "127.0.0.1:0", "--flush-interval", flush));
                targets.add(new Target(new TargetFigures(lesson, flush), start(lesson + "-" + flush, args)));
            }
        }
        targets.forEach(t -> out.printf("  %-42s %s (pid %d)%n", BenchChart.label(t.figures()), t.server().url(),
                t.server().pid()));
    }

    private ChildJvm start(String label, List<String> args) throws IOException, InterruptedException {
        ChildJvm jvm = ChildJvm.start(label, args, options.output().resolve("logs").resolve(label + ".log"));
        children.add(jvm);
        return jvm;
    }

    /** Warm-up, then the measured rounds: every body on every target in turn, then the streamed requests. */
    private void load(ClosedLoop loop, HttpClient client) throws InterruptedException {
        if (options.warmupSeconds() > 0) {
            out.printf("warm-up: %d s per target and body%n", options.warmupSeconds());
            for (Body body : options.bodies()) {
                for (Target t : targets) {
                    loop.run(t.server().url().resolve(body.path), body.length, options.warmupSeconds());
                }
            }
        }
        for (int round = 1; round <= options.rounds(); round++) {
            for (Body body : options.bodies()) {
                StringBuilder line = new StringBuilder(String.format("round %d/%d %-6s req/s, targets as listed:",
                        round, options.rounds(), body.title));
                for (Target t : targets) {
                    line.append(String.format("  %.0f/s", measure(loop, t, body)));
                }
                out.println(line);
            }
            if (options.streamRequests() > 0) {
                targets.forEach(t -> stream(client, t));
                out.printf("round %d/%d streams: %d per target and kind%n", round, options.rounds(), options.streamRequests());
            }
            for (ChildJvm c : children) {
                if (!c.alive()) {
                    throw new IllegalStateException(c.label + " ended during the bench; its output: " + c.logTail());
                }
            }
        }
    }

    /** One measured round of body on t; its requests/s. */
    private double measure(ClosedLoop loop, Target t, Body body) throws InterruptedException {
        long threads = t.server().threadsStarted();
        long cpu = t.server().cpuNanos();
        long[] ticks = t.server().cpuTicks();
        ClosedLoop.Result r = loop.run(t.server().url().resolve(body.path), body.length, options.roundSeconds());
        long[] ticksAfter = t.server().cpuTicks();
        long cpuAfter = t.server().cpuNanos();
        long threadsAfter = t.server().threadsStarted();
        Throughput x = new Throughput(r.requests(), r.failed(), r.nanos(), cpuAfter - cpu, delta(ticks[0], ticksAfter[0]),
                delta(ticks[1], ticksAfter[1]), delta(threads, threadsAfter));
        t.figures().add(body, x);
        if (r.firstFailure() != null) {
            out.printf("  %s, %s body: %d failed, the first with: %s%n", BenchChart.label(t.figures()), body.title,
                    r.failed(), r.firstFailure());
        }
        return x.perSecond();
    }

    /** after - before, or -1 when either is unknown. */
    private static long delta(long before, long after) {
        return before < 0 || after < 0 ? -1 : after - before;
    }

    /** The streamed requests of one round to t, every kind at once; it waits for them all. */
    private void stream(HttpClient client, Target t) {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (StreamKind kind : StreamKind.values()) {
            for (int i = 0; i < options.streamRequests(); i++) {
                all.add(ChunkDelay.send(client, t.server().url(), kind).handle((extra, failure) -> {
                    if (failure != null) {
                        t.figures().streamFailed();
                        out.printf("  %s: a streamed request failed: %s%n", BenchChart.label(t.figures()),
                                Causes.chain(failure));
                    } else {
                        t.figures().addDelays(kind, extra);
                    }
                    return null;
                }));
            }
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    }

    /**
     * --held-streams: each lesson at each flush interval, for each number of streams, on platform threads and
     * (JDK 21+) on virtual threads, a proxy of its own with --workers that number; the backend has room for all.
     * Prints the table and writes bench.md; true when every stream was held and ended complete.
     */
    private boolean heldStreams(List<Path> jars, HttpClient client, ExecutorService readers, List<String> about)
            throws Exception {
        int most = options.heldStreams().stream().mapToInt(Integer::intValue).max().orElseThrow();
        boolean virtual = dev.flushkata.plumbing.Server.virtualThreadsSupported();
        List<String> backendArgs = new ArrayList<>(List.of("-cp", jars.get(0).toString(),
                "dev.flushkata.plumbing.StreamingBackend", "--listen", "127.0.0.1:0", "--workers", Integer.toString(most + 100)));
        if (virtual) {
            backendArgs.add("--virtual-threads"); // its cost is not measured: the cheapest that holds them all
        }
        ChildJvm backend = start("backend", backendArgs);
        List<String> kinds = virtual ? List.of("platform", "virtual") : List.of("platform");
        if (!virtual) {
            out.println("JDK " + Runtime.version().feature() + " has no virtual threads: platform threads only");
        }
        HeldStreams held = new HeldStreams(client, readers);
        List<HeldStreams.Figures> rows = new ArrayList<>();
        for (Path jar : jars) {
            String lesson = LessonJars.lesson(jar);
            for (Duration interval : options.flushIntervals()) {
                String flush = Durations.format(interval);
                for (String kind : kinds) {
                    for (int n : options.heldStreams()) {
                        List<String> args = new ArrayList<>(options.proxyJvmArgs());
                        args.addAll(List.of("-jar", jar.toString(), "--backend", backend.url().toString(), "--listen",
                                "127.0.0.1:0", "--flush-interval", flush, "--workers", Integer.toString(n), "--queue", "0"));
                        if (kind.equals("virtual")) {
                            args.add("--virtual-threads");
                        }
                        ChildJvm proxy = start(lesson + "-" + flush + "-" + kind + "-" + n, args);
                        try {
                            HeldStreams.Figures f = held.run(proxy, lesson, flush, kind, n);
                            rows.add(f);
                            out.printf("  %s %s %s: %d of %d streams held in %.1f s, RSS %d -> %d KiB, threads %d -> %d,"
                                    + " %d complete, %d 503, %d failed%n", lesson, flush, kind, f.held(), n, f.secondsToHold(),
                                    f.rssIdleKiB(), f.rssHeldKiB(), f.threadsIdle(), f.threadsHeld(), f.complete(),
                                    f.rejected(), f.failed());
                        } finally {
                            proxy.close();
                            children.remove(proxy);
                        }
                    }
                }
            }
        }
        about.add("load average (1, 5, 15 min) at the end: " + Machine.loadAverage());
        out.println(about.get(about.size() - 1));
        Table table = HeldStreams.table(rows);
        String note = String.format(java.util.Locale.ROOT, HeldStreams.NOTE, HeldStreams.PATH,
                HeldStreams.CHUNKS * HeldStreams.DELAY_MS / 1000, HeldStreams.HOLD_DEADLINE.toSeconds());
        out.println();
        out.print(table.text() + note);
        Path md = options.output().resolve("bench.md");
        Files.writeString(md, "# Bench run: held streams\n\n" + String.join("\n", about.stream().map(l -> "- " + l).toList())
                + "\n\n## Streams held at once\n\n" + table.markdown() + "\n" + note);
        out.println("\ntable: " + md.toAbsolutePath());
        long bad = rows.stream().mapToLong(f -> f.streams() - f.complete()).sum(); // fewer held at once is a figure
        out.println(bad == 0 ? "bench done: every stream complete" : "bench done: " + bad + " stream(s) not complete");
        return bad == 0;
    }

    /** Prints the tables, writes bench.md and bench.png; true when nothing failed. */
    private boolean report(List<String> about, String loadAtStart) {
        List<TargetFigures> figures = targets.stream().map(Target::figures).toList();
        Report report = new Report(about, figures, options.bodies(), options.concurrency());
        out.println();
        out.print(report.text());
        Path md = options.output().resolve("bench.md");
        Path png = options.output().resolve("bench.png");
        try {
            Files.writeString(md, report.markdown());
            out.println("\ntable: " + md.toAbsolutePath());
            BenchChart.write(png, "What each design costs", options.concurrency() + " requests in flight, "
                    + options.rounds() + " x " + options.roundSeconds() + " s per target and body; "
                    + Runtime.getRuntime().availableProcessors() + " cores, JDK " + Runtime.version()
                    + ", load average at the start " + loadAtStart, figures, options.bodies());
            out.println("chart: " + png.toAbsolutePath());
        } catch (IOException | RuntimeException | Error e) {
            out.println("report not written (" + e + ")"); // the figures above stand
        }
        if (!options.jfr().isEmpty()) {
            out.println("JFR recordings: " + options.output().toAbsolutePath() + "/*.jfr");
        }
        long failed = figures.stream().mapToLong(f -> f.streamFailures()
                + options.bodies().stream().mapToLong(b -> f.throughput(b).failed()).sum()).sum();
        out.println(failed == 0 ? "bench done: every request answered in full" : "bench done: " + failed + " request(s) failed");
        return failed == 0;
    }
}
