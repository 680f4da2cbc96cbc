package dev.flushkata.soak;

import dev.flushkata.leakcheck.ThreadSnapshot;
import dev.flushkata.leakcheck.Threads;
import dev.flushkata.plumbing.BackendClient;
import dev.flushkata.plumbing.JdkClients;
import dev.flushkata.plumbing.Causes;
import dev.flushkata.plumbing.ClosedPort;
import dev.flushkata.plumbing.Cli;
import dev.flushkata.plumbing.Durations;
import dev.flushkata.plumbing.Lesson;
import dev.flushkata.plumbing.RunningProxy;
import dev.flushkata.plumbing.Server;
import dev.flushkata.plumbing.SilentBackend;
import dev.flushkata.plumbing.StreamingBackend;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A bounded soak of one fixed lesson's proxy: requests of every size from 0 B to 1 MiB, plain and streamed,
 * with faults injected. Every body is checked byte for byte (SHA-256 of the deterministic content); at the
 * end the threads must be back to where they were, with no flush after a response finished and a heap that
 * did not grow. Exits 1 on any loss.
 */
public final class Soak {

    /** The command line; picocli writes the usage from it. */
    @Command(name = "java -jar soak/target/soak.jar", sortOptions = false, abbreviateSynopsis = true,
            usageHelpWidth = 100,
            description = "A bounded soak of one fixed lesson's proxy, faults injected, every body checked; exits 1 on any loss.")
    static final class Args {
        @Spec
        CommandSpec spec;

        @Option(names = "--requests", paramLabel = "N", defaultValue = "10000",
                description = "requests in all (default: ${DEFAULT-VALUE})")
        int requests;

        @Option(names = "--concurrency", paramLabel = "N", defaultValue = "8",
                description = "requests in flight (default: ${DEFAULT-VALUE})")
        int concurrency;

        @Option(names = "--lesson", paramLabel = "NAME",
                description = "the lesson's proxy to soak, by name or prefix (default: the last one)")
        String lesson;

        @Option(names = "--flush-interval", paramLabel = "D", defaultValue = "10ms", converter = Cli.Dur.class,
                description = "the proxy's flush interval (default: ${DEFAULT-VALUE})")
        Duration flushInterval;

        @Option(names = "--faults", paramLabel = "P", defaultValue = "5",
                description = "percent of requests that inject a fault (default: ${DEFAULT-VALUE})")
        int faults;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
                description = "the random mix (default: ${DEFAULT-VALUE})")
        long seed;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this help and exit")
        boolean help;

        Options options(List<Lesson> lessons) {
            List<Lesson> fixed = lessons.stream().filter(l -> !l.name().contains("leaky")).toList();
            if (fixed.isEmpty()) {
                throw Cli.bad(spec, "no fixed lesson on the class path");
            }
            String wanted = lesson == null ? fixed.get(fixed.size() - 1).name() : lesson;
            Lesson chosen = fixed.stream().filter(l -> l.name().startsWith(wanted)).findFirst()
                    .orElseThrow(() -> Cli.bad(spec, "--lesson: no fixed lesson named '" + wanted + "'"));
            if (flushInterval.isNegative()) {
                throw Cli.bad(spec, "--flush-interval must not be negative");
            }
            return new Options(Cli.between(spec, "--requests", requests, 1, 1_000_000),
                    Cli.between(spec, "--concurrency", concurrency, 1, 256), chosen, flushInterval,
                    Cli.between(spec, "--faults", faults, 0, 100), seed);
        }
    }

    static final int MAX_SIZE = 1 << 20;
    /** Fault-free requests: far above any plausible slowness, so a busy machine is never a "fault". */
    static final Duration BACKEND_TIMEOUT = Duration.ofSeconds(60);
    /** The too-slow fault: a proxy with this timeout in front of a backend that never answers at all. */
    static final Duration SHORT_BACKEND_TIMEOUT = Duration.ofMillis(200);

    /** The JDK 17 HttpClient's selector thread ends only once its client is collected: not counted. */
    static final java.util.function.Predicate<Thread> NOT_JDK_CLIENT =
            java.util.function.Predicate.not(Threads::isJdkHttpClientSelector);

    /** What a request asks for, and what the client must then see. */
    enum Kind {
        PLAIN, STREAMED, EMPTY, BACKEND_DIES, BACKEND_5XX, CLIENT_DISCONNECTS, BACKEND_TOO_SLOW, BACKEND_DOWN
    }

    record Options(int requests, int concurrency, Lesson lesson, Duration flushInterval, int faultPercent, long seed) {
    }

    /** The soak's figures; ok() when nothing was lost. */
    record Result(int requests, Map<Kind, Long> byKind, long bytesChecked, long mismatches, List<String> problems,
                  int threadsBefore, int threadsAfter, List<String> leftThreads, long flushesAfterClose,
                  long[] heapMiB, double seconds) {
        boolean ok() {
            return mismatches == 0 && problems.isEmpty() && leftThreads.isEmpty() && flushesAfterClose == 0
                    && !heapGrew();
        }

        /** The last heap checkpoint, after GC, more than 32 MiB above the first one under load. */
        boolean heapGrew() {
            int first = heapMiB.length > 2 ? 1 : 0;
            return heapMiB[heapMiB.length - 1] - heapMiB[first] > 32;
        }
    }

    private final Options o;
    private final AtomicLong bytesChecked = new AtomicLong();
    private final AtomicLong mismatches = new AtomicLong();
    private final List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<Kind, AtomicLong> byKind = new EnumMap<>(Kind.class);

    Soak(Options options) {
        this.o = options;
        for (Kind k : Kind.values()) {
            byKind.put(k, new AtomicLong());
        }
    }

    public static void main(String[] args) {
        Options options = Cli.parseOrExit(() -> parse(args, Lesson.all()), new Args());
        if (options == null) {
            return;
        }
        boolean ok;
        try {
            ok = new Soak(options).run(System.out).ok();
        } catch (Exception e) {
            System.out.println("SOAK FAILED: " + Causes.chain(e));
            ok = false;
        }
        System.out.flush();
        failedMarker(ok);
        System.exit(ok ? 0 : 1);
    }

    /**
     * The build's soak profile names a file (system property soak.failedMarker) that a failed soak writes,
     * so the build fails with one line after the summary rather than with a stack trace of exec's.
     */
    private static void failedMarker(boolean ok) {
        String marker = System.getProperty("soak.failedMarker");
        if (marker == null) {
            return;
        }
        try {
            java.nio.file.Path p = java.nio.file.Path.of(marker);
            java.nio.file.Files.deleteIfExists(p);
            if (!ok) {
                java.nio.file.Files.createDirectories(p.getParent());
                java.nio.file.Files.writeString(p, "see the soak's summary\n");
            }
        } catch (java.io.IOException e) {
            System.err.println("cannot write " + marker + ": " + e);
        }
    }

    /** The options, or null for --help; a ParameterException for a bad command line. */
    static Options parse(String[] args, List<Lesson> lessons) {
        Args a = new Args();
        if (Cli.parse(a, args).isUsageHelpRequested()) {
            return null;
        }
        return a.options(lessons);
    }

    Result run(PrintStream out) throws Exception {
        long start = System.nanoTime();
        ThreadSnapshot before = ThreadSnapshot.take();
        int threadsBefore = Threads.count(NOT_JDK_CLIENT);
        out.printf("soak: %d requests, %d at a time, through %s (flush interval %s), %d%% faults, seed %d%n",
                o.requests(), o.concurrency(), o.lesson().name(), Durations.format(o.flushInterval()),
                o.faultPercent(), o.seed());
        long[] heap = new long[5];
        long flushesAfterClose;
        ExecutorService clientThreads = Executors.newCachedThreadPool(Server.daemonThreads("soak-client-"));
        ExecutorService senders = Executors.newFixedThreadPool(o.concurrency(), Server.daemonThreads("soak-sender-"));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(clientThreads).build();
        try (StreamingBackend backend = StreamingBackend.start();
             RunningProxy proxy = RunningProxy.start(o.lesson().name(), o.lesson(), backend.url(), Server.loopback(0),
                     o.flushInterval(), BACKEND_TIMEOUT);
             ClosedPort down = new ClosedPort();
             RunningProxy toDown = RunningProxy.start(o.lesson().name() + "-down", o.lesson(), down.url(), Server.loopback(0),
                     o.flushInterval(), BACKEND_TIMEOUT);
             SilentBackend silent = SilentBackend.start();
             RunningProxy toSilent = RunningProxy.start(o.lesson().name() + "-silent", o.lesson(), silent.url(),
                     Server.loopback(0), o.flushInterval(), SHORT_BACKEND_TIMEOUT)) {
            proxy.stats().quiet();
            toDown.stats().quiet();
            toSilent.stats().quiet();
            Random random = new Random(o.seed());
            heap[0] = heapAfterGcMiB();
            int quarter = Math.max(1, o.requests() / 4);
            for (int done = 0, checkpoint = 1; done < o.requests(); checkpoint++) {
                int batch = Math.min(quarter, o.requests() - done);
                List<Future<?>> futures = new ArrayList<>();
                for (int i = 0; i < batch; i++) {
                    Kind kind = pick(random);
                    long seed = random.nextLong();
                    RunningProxy target = kind == Kind.BACKEND_DOWN ? toDown : kind == Kind.BACKEND_TOO_SLOW ? toSilent : proxy;
                    futures.add(senders.submit(() -> request(client, target, kind, new Random(seed))));
                }
                for (Future<?> f : futures) {
                    f.get(5, TimeUnit.MINUTES);
                }
                done += batch;
                heap[Math.min(checkpoint, heap.length - 1)] = heapAfterGcMiB();
                out.printf("  %6d of %d done, heap after GC %d MiB%n", done, o.requests(), heap[Math.min(checkpoint, heap.length - 1)]);
            }
            awaitQuiet(proxy);
            flushesAfterClose = proxy.stats().flushesAfterClose() + toDown.stats().flushesAfterClose()
                    + toSilent.stats().flushesAfterClose();
        } finally {
            senders.shutdownNow();
            JdkClients.shutdownNow(client);
            clientThreads.shutdownNow();
        }
        List<String> left = before.awaitNoNewThreads(Threads::isJdkHttpClientSelector, Duration.ofSeconds(10))
                .stream().map(Thread::getName).toList();
        Map<Kind, Long> counts = new EnumMap<>(Kind.class);
        byKind.forEach((k, v) -> counts.put(k, v.get()));
        Result r = new Result(o.requests(), counts, bytesChecked.get(), mismatches.get(), List.copyOf(problems),
                threadsBefore, Threads.count(NOT_JDK_CLIENT), left, flushesAfterClose,
                Arrays.stream(heap).filter(h -> h > 0).toArray(), (System.nanoTime() - start) / 1e9);
        print(out, r);
        return r;
    }

    private Kind pick(Random random) {
        if (random.nextInt(100) < o.faultPercent()) {
            Kind[] faults = {Kind.BACKEND_DIES, Kind.BACKEND_5XX, Kind.CLIENT_DISCONNECTS, Kind.BACKEND_TOO_SLOW,
                    Kind.BACKEND_DOWN};
            return faults[random.nextInt(faults.length)];
        }
        int r = random.nextInt(20);
        return r == 0 ? Kind.EMPTY : r % 2 == 0 ? Kind.PLAIN : Kind.STREAMED;
    }

    /** Sizes spread evenly over the orders of magnitude from 1 B to 1 MiB. */
    static int size(Random random) {
        return (int) Math.min(MAX_SIZE, Math.round(Math.pow(2, random.nextDouble() * 20)));
    }

    private void request(HttpClient client, RunningProxy proxy, Kind kind, Random random) {
        byKind.get(kind).incrementAndGet();
        try {
            switch (kind) {
                case PLAIN -> {
                    int size = size(random);
                    expect(client, proxy, "/bytes?size=" + size, 200, size);
                }
                case STREAMED -> {
                    int size = size(random);
                    int chunks = 1 + random.nextInt(Math.min(16, Math.max(1, size)));
                    int chunk = size / chunks;
                    expect(client, proxy, "/stream?chunks=" + chunks + "&size=" + chunk + "&delayMs=" + random.nextInt(3),
                            200, (long) chunks * chunk);
                }
                case EMPTY -> expect(client, proxy, "/bytes?size=0", 200, 0);
                case BACKEND_DIES -> expectAborted(client, proxy, "/die?after=" + size(random));
                case BACKEND_5XX -> expectStatus(client, proxy, "/status?code=" + (500 + random.nextInt(5)), -1);
                case CLIENT_DISCONNECTS -> disconnect(client, proxy, size(random));
                case BACKEND_TOO_SLOW -> expectStatus(client, proxy, "/", 504);
                case BACKEND_DOWN -> expectStatus(client, proxy, "/", 502);
            }
        } catch (Exception e) {
            problems.add(kind + ": " + Causes.chain(e));
        }
    }

    /** Status 200 and exactly the first length content bytes, compared by SHA-256. */
    private void expect(HttpClient client, RunningProxy proxy, String path, int status, long length) throws Exception {
        HttpResponse<InputStream> res = send(client, proxy, path);
        MessageDigest got = MessageDigest.getInstance("SHA-256");
        long n = 0;
        try (InputStream body = res.body()) {
            byte[] buf = new byte[64 * 1024];
            for (int r; (r = body.read(buf)) >= 0; n += r) {
                got.update(buf, 0, r);
            }
        }
        if (res.statusCode() != status) {
            problems.add(path + ": status " + res.statusCode() + slowHint(res.statusCode()));
            return;
        }
        MessageDigest want = MessageDigest.getInstance("SHA-256");
        want.update(StreamingBackend.content(0, (int) length));
        if (n != length || !MessageDigest.isEqual(got.digest(), want.digest())) {
            mismatches.incrementAndGet();
            problems.add(path + ": " + n + " bytes, wanted " + length + ", or different bytes");
        } else {
            bytesChecked.addAndGet(n);
        }
    }

    private void expectStatus(HttpClient client, RunningProxy proxy, String path, int status) throws Exception {
        HttpResponse<InputStream> res = send(client, proxy, path);
        try (InputStream body = res.body()) {
            body.readAllBytes();
        }
        int wanted = status < 0 ? Integer.parseInt(path.substring(path.indexOf('=') + 1)) : status;
        if (res.statusCode() != wanted) {
            problems.add(path + ": status " + res.statusCode() + ", wanted " + wanted + slowHint(res.statusCode()));
        }
    }

    /** The backend dies mid-body: the client must see an error, never a complete-looking body. */
    private void expectAborted(HttpClient client, RunningProxy proxy, String path) {
        try {
            HttpResponse<InputStream> res = send(client, proxy, path);
            try (InputStream body = res.body()) {
                body.readAllBytes();
            }
            problems.add(path + ": a body the backend cut short looked complete");
        } catch (Exception expected) {
            // the proxy aborted the response: what it must do
        }
    }

    private void disconnect(HttpClient client, RunningProxy proxy, int size) throws Exception {
        HttpResponse<InputStream> res = send(client, proxy, "/stream?chunks=64&size=" + Math.max(1, size / 64) + "&delayMs=5");
        try (InputStream body = res.body()) {
            body.readNBytes(Math.max(1, size / 128)); // then go away mid-stream
        }
    }

    /** A 504 on a request that had a minute to be answered means a machine too busy to answer at all. */
    private static String slowHint(int status) {
        return status == 504 ? " (the backend took over " + Durations.format(BACKEND_TIMEOUT) + ": machine too slow?)" : "";
    }

    private static HttpResponse<InputStream> send(HttpClient client, RunningProxy proxy, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(proxy.url().resolve(path)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    /** Every handler has returned and every flusher has ended, or 10 s have passed. */
    private static void awaitQuiet(RunningProxy proxy) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((proxy.server().busyWorkers() > 0 || Threads.count(Threads.namePrefix("max-latency-flusher-")) > 0)
                && System.nanoTime() < end) {
            Thread.sleep(20);
        }
    }

    private static long heapAfterGcMiB() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
    }

    static void print(PrintStream out, Result r) {
        out.println();
        out.println("what                               figure");
        out.printf("%-34s %d%n", "requests", r.requests());
        r.byKind().forEach((k, v) -> out.printf("  %-32s %d%n", k.name().toLowerCase().replace('_', ' '), v));
        out.printf("%-34s %d%n", "bytes checked (SHA-256)", r.bytesChecked());
        out.printf("%-34s %d%n", "bodies lost or changed", r.mismatches());
        out.printf("%-34s %d%n", "other problems", r.problems().size());
        out.printf("%-34s %d -> %d%n", "live threads before -> after (*)", r.threadsBefore(), r.threadsAfter());
        out.printf("%-34s %s%n", "threads left behind", r.leftThreads().isEmpty() ? "none" : r.leftThreads());
        out.printf("%-34s %d%n", "flushes after a response finished", r.flushesAfterClose());
        out.printf("%-34s %s%n", "heap after GC at each quarter (MiB)", Arrays.toString(r.heapMiB()));
        out.printf("%-34s %.1f s%n", "run time", r.seconds());
        r.problems().stream().limit(10).forEach(p -> out.println("problem: " + p));
        out.println("(*) not counting the JDK's HttpClient selector threads, which end when their client is collected");
        out.println(r.ok() ? "soak passed: nothing lost" : "SOAK FAILED");
    }
}
