package dev.flushkata.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs jcstress in a child JVM of the same JDK and turns what jcstress only reports into a result a build
 * can fail on. jcstress itself exits 0 when a test FAILED, when no test matched -t, and when it skipped a
 * test it could not schedule (more actors than CPUs). Here a run has problems if jcstress exited non-zero,
 * printed a FAILED / ERROR / TIMEOUT / VM ERROR / SKIPPED result, a Forbidden or Unknown outcome, or a
 * FATAL line, or if an expected test left no page in the report. Used by the concurrency-tests build
 * (RunJcstress) and by the exercise's race check.
 */
public final class Jcstress {

    private static final Pattern RESULT_LINE =
            Pattern.compile("^\\.+ \\[(OK|FAILED|ERROR|TIMEOUT|VM ERROR|SKIPPED)\\] (\\S+)");
    /** An outcome table row: RESULT, SAMPLES, FREQ, EXPECT, DESCRIPTION. */
    private static final Pattern OUTCOME_ROW =
            Pattern.compile("^\\s*\\S.*?\\s([\\d,]+)\\s+[\\d.]+%\\s+(Acceptable|Interesting|Forbidden|Unknown)\\b.*");
    private static final Pattern COUNTS = Pattern.compile(
            "\\(Results: (\\d+) planned; (\\d+) passed, (\\d+) failed, (\\d+) soft errs, (\\d+) hard errs\\)");
    private static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    private static final Pattern TEST_LIST_TOKEN = Pattern.compile("(\\d+)(\\w)");

    /** What a run found: problems empty means every expected test ran and none saw a forbidden outcome. */
    public record Result(List<String> problems, Set<String> interesting, Map<String, List<String>> badOutcomes,
                         Map<String, Long> samples, long seconds, Path report) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private Jcstress() {
    }

    /**
     * Runs jcstress: launch is how to start it after "java" (e.g. -jar jcstress.jar, or -cp CP
     * org.openjdk.jcstress.Main), options its options (-t, -m, ...); expected the tests that must run.
     * Every output line goes to echo (null: nowhere). results is emptied and used as working directory.
     */
    public static Result run(List<String> launch, List<String> options, List<String> expected, Path results,
            PrintStream echo) throws IOException, InterruptedException {
        return run(launch, options, expected, results, echo, null);
    }

    /**
     * The same, ended after timeout (null: never): jcstress and its forked VMs are killed, and the run has
     * that as a problem. A test that deadlocks hangs jcstress's forks far longer than any verdict should wait.
     */
    public static Result run(List<String> launch, List<String> options, List<String> expected, Path results,
            PrintStream echo, java.time.Duration timeout) throws IOException, InterruptedException {
        deleteRecursively(results);
        Files.createDirectories(results);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString()); // the same JDK
        boolean warnsOnNativeAccess = Runtime.version().feature() >= 24; // jcstress loads JNA for affinity
        if (warnsOnNativeAccess) {
            command.add(NATIVE_ACCESS);
        }
        command.addAll(launch);
        command.addAll(options);
        if (warnsOnNativeAccess) {
            command.addAll(List.of("-jvmArgsPrepend", NATIVE_ACCESS)); // and in every forked test VM
        }
        command.addAll(List.of("-r", results.toString()));
        if (echo != null) {
            echo.println("[jcstress] " + String.join(" ", command));
            echo.flush();
        }

        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).directory(results.toFile()).redirectErrorStream(true).start();
        Thread killer = new Thread(process::destroyForcibly, "jcstress-killer");
        Runtime.getRuntime().addShutdownHook(killer); // Ctrl-C on the build ends the child too
        java.util.concurrent.atomic.AtomicBoolean timedOut = new java.util.concurrent.atomic.AtomicBoolean();
        Thread watchdog = null;
        if (timeout != null) {
            watchdog = new Thread(() -> {
                try {
                    if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                        timedOut.set(true);
                        process.descendants().forEach(ProcessHandle::destroyForcibly); // the forked test VMs
                        process.destroyForcibly(); // its output ends: the loop below ends
                    }
                } catch (InterruptedException e) {
                    // the run ended first
                }
            }, "jcstress-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
        }

        Set<String> problems = new LinkedHashSet<>();
        Set<String> interesting = new TreeSet<>();
        Map<String, List<String>> badOutcomes = new LinkedHashMap<>(); // test -> its Forbidden/Unknown rows
        Map<String, Long> samples = new LinkedHashMap<>();
        String currentTest = null;
        Matcher lastCounts = null;
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (echo != null) {
                    echo.println(line);
                }
                Matcher result = RESULT_LINE.matcher(line);
                Matcher row = OUTCOME_ROW.matcher(line);
                if (result.find()) {
                    currentTest = result.group(2);
                    if (!result.group(1).equals("OK")) {
                        problems.add(result.group(1) + ": " + currentTest);
                    }
                } else if (row.matches()) {
                    // A failed test's table lists every declared outcome, seen or not: count only those seen.
                    long n = Long.parseLong(row.group(1).replace(",", ""));
                    String test = currentTest == null ? "?" : currentTest;
                    samples.merge(test, n, Long::sum);
                    if (n > 0 && (row.group(2).equals("Forbidden") || row.group(2).equals("Unknown"))) {
                        badOutcomes.computeIfAbsent(test, t -> new ArrayList<>())
                                .add(line.trim().replaceAll("\\s+", " "));
                    } else if (n > 0 && row.group(2).equals("Interesting")) {
                        interesting.add(test);
                    }
                } else if (line.startsWith("FATAL")) {
                    problems.add(line);
                } else if (line.contains("No scheduling is possible")) {
                    problems.add("jcstress could not schedule some tests (more actors than CPUs): they would not run");
                }
                Matcher counts = COUNTS.matcher(line);
                if (counts.find()) {
                    lastCounts = counts;
                }
            }
        }
        int exit = process.waitFor();
        Runtime.getRuntime().removeShutdownHook(killer);
        if (watchdog != null) {
            watchdog.interrupt();
        }
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        if (timedOut.get()) {
            problems.add("jcstress did not finish in " + timeout.toSeconds() + " s and was killed: a test hung"
                    + " (a deadlock, or a stop() that never returns)" + (currentTest == null ? "" : "; last reported: " + currentTest));
        }

        if (exit != 0) {
            problems.add("jcstress exited with " + exit);
        }
        if (lastCounts != null) {
            long failed = Long.parseLong(lastCounts.group(3));
            long softErrs = Long.parseLong(lastCounts.group(4));
            long hardErrs = Long.parseLong(lastCounts.group(5));
            if (failed + softErrs + hardErrs > 0) {
                problems.add(lastCounts.group());
            }
        }
        badOutcomes.forEach((test, rows) -> {
            problems.add("Forbidden/Unknown outcomes in " + test + " (" + rows.size() + " table rows), e.g.:");
            rows.stream().distinct().limit(3).forEach(row -> problems.add("    " + row));
        });
        List<String> didNotRun = expected.stream().filter(t -> !Files.isRegularFile(results.resolve(t + ".html"))).toList();
        if (!didNotRun.isEmpty()) {
            problems.add("expected but did not run: " + String.join(", ", didNotRun));
        }
        return new Result(List.copyOf(problems), interesting, badOutcomes, samples, seconds, results.resolve("index.html"));
    }

    /** Test names from a META-INF/TestList: one "JCTEST" line per test, length-prefixed fields. */
    public static List<String> testList(InputStream in) throws IOException {
        List<String> names = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.startsWith("JCTEST")) {
                    continue;
                }
                // The first field is the test's name, e.g. "38Sdev.flushkata.lesson02.StopVsFlushTest".
                Matcher m = TEST_LIST_TOKEN.matcher(line);
                if (!m.find(6) || m.start() != 6 || !m.group(2).equals("S")) {
                    throw new IOException("cannot read META-INF/TestList line: " + line);
                }
                int length = Integer.parseInt(m.group(1));
                names.add(line.substring(m.end(), m.end() + length));
            }
        }
        names.sort(Comparator.naturalOrder());
        return names;
    }

    /** The tests jcstress's -t selects: the regex is found anywhere in the name. */
    public static List<String> select(List<String> names, String regex) {
        Pattern p = Pattern.compile(regex);
        return names.stream().filter(n -> p.matcher(n).find()).toList();
    }

    /** Names without the project's package prefix, for one-line summaries. */
    public static List<String> shortNames(java.util.Collection<String> names) {
        return names.stream().map(n -> n.replaceFirst("^dev\\.flushkata\\.", "")).toList();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
