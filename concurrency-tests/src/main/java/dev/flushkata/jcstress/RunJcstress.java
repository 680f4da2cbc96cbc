package dev.flushkata.jcstress;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/**
 * Runs the jcstress jar in a child JVM of the same JDK, streams its output, and turns what jcstress only
 * reports into an exit code the build can fail on. jcstress itself exits 0 when a test FAILED, when no
 * test matched -t, and when it skipped a test it could not schedule (more actors than CPUs). This exits
 * non-zero if:
 *
 * <ol>
 *   <li>jcstress exited non-zero, or printed a FAILED / ERROR / TIMEOUT / VM ERROR / SKIPPED result, a
 *       Forbidden or Unknown outcome, or a FATAL line;
 *   <li>an expected test did not run: the expected tests are the jar's META-INF/TestList (written by the
 *       annotation processor) filtered by the -t regex, as jcstress filters it, and each must have left
 *       its page in the report;
 * </ol>
 *
 * and prints where the HTML report is. On JDK 24 and newer it lets jcstress's JNA load without the
 * restricted-method warning, in the host VM and every forked one. The child runs in the results directory, so its result blob lands
 * there too. Options (all {@code --name=value}; the pom passes every one, blank when unset):
 *
 * <pre>
 *   --jar=PATH       the shaded jcstress jar (required)
 *   --results=DIR    report and working directory; emptied first (required)
 *   --mode=MODE      -m: sanity (default), quick, default, tough, stress
 *   --time=MS        -time; blank: 100 in sanity mode, else the mode's own
 *   --iters=N        -iters; blank: 2 in sanity mode, else the mode's own
 *   --tests=REGEX    -t; blank: .*
 *   --args=ARGS      more jcstress options, space-separated
 * </pre>
 */
public final class RunJcstress {

    private static final Pattern RESULT_LINE =
            Pattern.compile("^\\.+ \\[(OK|FAILED|ERROR|TIMEOUT|VM ERROR|SKIPPED)\\] (\\S+)");
    /** An outcome table row: RESULT, SAMPLES, FREQ, EXPECT, DESCRIPTION. */
    private static final Pattern OUTCOME_ROW =
            Pattern.compile("^\\s*\\S.*?\\s([\\d,]+)\\s+[\\d.]+%\\s+(Acceptable|Interesting|Forbidden|Unknown)\\b.*");
    private static final Pattern COUNTS = Pattern.compile(
            "\\(Results: (\\d+) planned; (\\d+) passed, (\\d+) failed, (\\d+) soft errs, (\\d+) hard errs\\)");
    private static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    private static final Pattern TEST_LIST_TOKEN = Pattern.compile("(\\d+)(\\w)");

    private RunJcstress() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parse(args);
        Path jar = Path.of(required(opts, "jar")).toAbsolutePath();
        Path results = Path.of(required(opts, "results")).toAbsolutePath();
        String mode = orDefault(opts.get("mode"), "sanity");
        boolean sanity = mode.equals("sanity");
        String time = orDefault(opts.get("time"), sanity ? "100" : "");
        String iters = orDefault(opts.get("iters"), sanity ? "2" : "");
        String tests = orDefault(opts.get("tests"), ".*");
        String extra = opts.getOrDefault("args", "").trim();

        if (!Files.isRegularFile(jar)) {
            fail("no jcstress jar at " + jar + " (it is built in the package phase)");
        }
        List<String> all = testList(jar);
        List<String> expected = select(all, tests);
        if (expected.isEmpty()) {
            fail("no jcstress test matches -t '" + tests + "' (jcstress would run nothing and exit 0). Tests:\n  "
                    + String.join("\n  ", all));
        }

        deleteRecursively(results);
        Files.createDirectories(results);

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString()); // the same JDK
        boolean warnsOnNativeAccess = Runtime.version().feature() >= 24; // jcstress loads JNA for affinity
        if (warnsOnNativeAccess) {
            command.add(NATIVE_ACCESS);
        }
        command.addAll(List.of("-jar", jar.toString(), "-t", tests, "-m", mode));
        if (warnsOnNativeAccess) {
            command.addAll(List.of("-jvmArgsPrepend", NATIVE_ACCESS)); // and in every forked test VM
        }
        if (!time.isEmpty()) {
            command.addAll(List.of("-time", time));
        }
        if (!iters.isEmpty()) {
            command.addAll(List.of("-iters", iters));
        }
        command.addAll(List.of("-r", results.toString()));
        if (!extra.isEmpty()) {
            command.addAll(Arrays.asList(extra.split("\\s+")));
        }

        System.out.println("[jcstress] " + expected.size() + " test(s) expected: " + String.join(", ", shortNames(expected)));
        System.out.println("[jcstress] " + String.join(" ", command));
        System.out.println("[jcstress] in " + results);
        System.out.flush();

        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).directory(results.toFile()).redirectErrorStream(true).start();
        Thread killer = new Thread(process::destroyForcibly, "jcstress-killer");
        Runtime.getRuntime().addShutdownHook(killer); // Ctrl-C on the build ends the child too

        Set<String> problems = new LinkedHashSet<>();
        Set<String> interesting = new TreeSet<>();
        Map<String, List<String>> badOutcomes = new LinkedHashMap<>(); // test -> its Forbidden/Unknown rows
        String currentTest = null;
        Matcher lastCounts = null;
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                System.out.println(line);
                Matcher result = RESULT_LINE.matcher(line);
                Matcher row = OUTCOME_ROW.matcher(line);
                if (result.find()) {
                    currentTest = result.group(2);
                    if (!result.group(1).equals("OK")) {
                        problems.add(result.group(1) + ": " + currentTest);
                    }
                } else if (row.matches()) {
                    // A failed test's table lists every declared outcome, seen or not: count only those seen.
                    boolean seen = !row.group(1).replace(",", "").matches("0+");
                    String test = currentTest == null ? "?" : currentTest;
                    if (seen && (row.group(2).equals("Forbidden") || row.group(2).equals("Unknown"))) {
                        badOutcomes.computeIfAbsent(test, t -> new ArrayList<>())
                                .add(line.trim().replaceAll("\\s+", " "));
                    } else if (seen && row.group(2).equals("Interesting")) {
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
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;

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
        List<String> didNotRun = new ArrayList<>();
        for (String test : expected) {
            if (!Files.isRegularFile(results.resolve(test + ".html"))) {
                didNotRun.add(test);
            }
        }
        if (!didNotRun.isEmpty()) {
            problems.add("expected but did not run: " + String.join(", ", didNotRun));
        }

        Path report = results.resolve("index.html");
        System.out.println();
        System.out.println("[jcstress] " + (expected.size() - didNotRun.size()) + "/" + expected.size()
                + " test(s) ran in " + seconds + " s (-m " + mode + (time.isEmpty() ? "" : " -time " + time)
                + (iters.isEmpty() ? "" : " -iters " + iters) + ")");
        if (!interesting.isEmpty()) {
            System.out.println("[jcstress] interesting outcomes (ACCEPTABLE_INTERESTING) seen in: "
                    + String.join(", ", shortNames(new ArrayList<>(interesting))));
        }
        System.out.println("[jcstress] HTML report: " + (Files.isRegularFile(report) ? report.toUri() : "none (" + report + " missing)"));
        if (!problems.isEmpty()) {
            System.out.println("[jcstress] FAILED:");
            problems.forEach(p -> System.out.println("[jcstress]   " + p));
            System.out.flush();
            System.exit(1);
        }
        System.out.println("[jcstress] OK: no FORBIDDEN outcome, every expected test ran");
    }

    /** Test names from the jar's META-INF/TestList: one "JCTEST" line per test, length-prefixed fields. */
    static List<String> testList(Path jar) throws IOException {
        List<String> names = new ArrayList<>();
        try (JarFile jf = new JarFile(jar.toFile())) {
            var entry = jf.getJarEntry("META-INF/TestList");
            if (entry == null) {
                fail(jar + " has no META-INF/TestList: did jcstress's annotation processor run?");
            }
            try (InputStream in = jf.getInputStream(entry);
                    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (!line.startsWith("JCTEST")) {
                        continue;
                    }
                    // The first field is the test's name, e.g. "38Sdev.flushkata.lesson02.StopVsFlushTest".
                    Matcher m = TEST_LIST_TOKEN.matcher(line);
                    if (!m.find(6) || m.start() != 6 || !m.group(2).equals("S")) {
                        fail("cannot read META-INF/TestList line: " + line);
                    }
                    int length = Integer.parseInt(m.group(1));
                    names.add(line.substring(m.end(), m.end() + length));
                }
            }
        }
        names.sort(Comparator.naturalOrder());
        return names;
    }

    /** The tests jcstress's -t selects: the regex is found anywhere in the name. */
    static List<String> select(List<String> names, String regex) {
        Pattern p;
        try {
            p = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            fail("-Djcstress.tests is not a regex: " + e.getMessage());
            return List.of();
        }
        return names.stream().filter(n -> p.matcher(n).find()).toList();
    }

    private static List<String> shortNames(List<String> names) {
        return names.stream().map(n -> n.replaceFirst("^dev\\.flushkata\\.", "")).toList();
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (!a.startsWith("--") || eq < 0) {
                fail("unexpected argument '" + a + "': options are --name=value");
            }
            opts.put(a.substring(2, eq), a.substring(eq + 1));
        }
        return opts;
    }

    private static String required(Map<String, String> opts, String name) {
        String v = opts.get(name);
        if (v == null || v.isBlank()) {
            fail("--" + name + "= is required");
        }
        return v;
    }

    private static String orDefault(String value, String dflt) {
        return value == null || value.isBlank() ? dflt : value.trim();
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

    private static void fail(String message) {
        System.out.println("[jcstress] FAILED: " + message);
        System.out.flush();
        System.exit(2);
    }
}
