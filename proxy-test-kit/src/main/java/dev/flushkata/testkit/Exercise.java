package dev.flushkata.testkit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;
import static org.junit.platform.launcher.TagFilter.includeTags;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The exercise's verdict on a participant's lesson, in words, first: one line per promise of the
 * regression suite (the tests tagged "exercise" in the lesson's package), then the race check (the
 * lesson's jcstress StopKeepsItsPromiseRace tests, run only once the suite is green), then the verdict,
 * then the evidence. Exits 1 on red.
 *
 * <pre>java -cp TEST_CLASSPATH dev.flushkata.testkit.Exercise LESSON_PACKAGE LESSON_NAME WORK_DIR</pre>
 */
public final class Exercise {

    /** One judged promise: its words, and the failure that broke it (null when kept). */
    record Promise(String words, Throwable broken, String skipped) {
        Promise(String words, Throwable broken) {
            this(words, broken, null);
        }
    }

    /** Thread names listed in a RED's evidence before "and N more". */
    static final int THREADS_SHOWN = 10;

    /** The race check normally takes well under a minute; past this a test hangs, and the check is RED. */
    static final java.time.Duration RACE_TIMEOUT = java.time.Duration.ofMinutes(3);

    private final PrintStream out;

    Exercise(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: Exercise LESSON_PACKAGE LESSON_NAME WORK_DIR");
            System.exit(2);
        }
        Path work = Path.of(args[2]);
        Files.createDirectories(work);
        Files.deleteIfExists(work.resolve("RED"));
        boolean green = new Exercise(System.out).run(args[0], args[1], work);
        System.out.flush();
        if (!green) {
            Files.writeString(work.resolve("RED"), "see the exercise's output\n"); // the build's enforcer fails on it
        }
        System.exit(green ? 0 : 1);
    }

    /** Judges the lesson; true when every promise holds. */
    boolean run(String lessonPackage, String lessonName, Path work) throws Exception {
        out.println("exercise: " + lessonName + ": does every flusher end with its response, and does stop() keep its promise?");
        List<Promise> suite = suite(lessonPackage);
        if (suite.isEmpty()) {
            out.println("no exercise tests found in " + lessonPackage + " (tests tagged \"exercise\")");
            return false;
        }
        out.println("the regression suite:");
        suite.forEach(this::print);
        boolean suiteGreen = suite.stream().allMatch(p -> p.broken() == null);

        out.println("the race check (jcstress: the lesson's own writer raced against its real flusher, sample after sample):");
        RaceCheck race = suiteGreen ? races(lessonPackage, work) : null;
        if (race == null) {
            out.println("  --   not run: the suite above must be green first");
        } else {
            out.println("  " + race.line());
        }

        long broken = suite.stream().filter(p -> p.broken() != null).count() + (race != null && !race.ok() ? race.brokenCount() : 0);
        out.println();
        if (broken == 0) {
            out.println("VERDICT: GREEN. Every flusher ended with its response, however it ended, and no flush reached"
                    + " a finished response" + (race != null && race.samples() > 0
                    ? "; stop() kept its promise in " + String.format("%,d", race.samples()) + " races." : "."));
            return true;
        }
        String verdict = "VERDICT: RED. " + broken + " broken promise(s): "
                + String.join("; ", suite.stream().filter(p -> p.broken() != null).map(Promise::words).toList())
                + (race != null && !race.ok() ? race.brokenWords() : "") + "."; // the race runs only on a green suite
        out.println(verdict + " The evidence follows.");
        for (Promise p : suite) {
            if (p.broken() != null) {
                out.println();
                out.println("--- " + p.words() + " ---");
                evidence(p.broken());
            }
        }
        if (race != null && !race.ok()) {
            out.println();
            out.println("--- the race check ---");
            race.evidence().forEach(out::println);
        }
        out.println();
        out.println(verdict); // again, last: the evidence above can be long
        return false;
    }

    private void print(Promise p) {
        if (p.skipped() != null) {
            out.println("  --   " + p.words() + ": not judged (" + p.skipped() + ")");
        } else if (p.broken() == null) {
            out.println("  ok   " + p.words());
        } else {
            out.println("  RED  " + p.words());
            out.println("       " + firstLine(p.broken()));
        }
    }

    /** Runs the lesson's exercise tests in this JVM, in order, and records each one's outcome. */
    static List<Promise> suite(String lessonPackage) {
        List<Promise> promises = new ArrayList<>();
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (id.isTest() && result.getStatus() == TestExecutionResult.Status.ABORTED) {
                    // An assumption: the test cannot judge this design (it says why), which is no broken promise.
                    promises.add(new Promise(id.getDisplayName(), null,
                            result.getThrowable().map(Exercise::firstLine).orElse("skipped")));
                } else if (id.isTest()) {
                    promises.add(new Promise(id.getDisplayName(),
                            result.getStatus() == TestExecutionResult.Status.SUCCESSFUL ? null
                                    : result.getThrowable().orElse(new AssertionError(result.getStatus().toString()))));
                }
            }
        };
        LauncherFactory.create().execute(request().selectors(selectPackage(lessonPackage))
                .filters(includeTags("exercise")).build(), listener);
        return promises;
    }

    /** What the race check found. */
    record RaceCheck(boolean ok, String line, long samples, List<String> evidence) {
        long brokenCount() {
            return Math.max(1, Arrays.stream(line.split("\n")).map(String::strip).filter(l -> l.startsWith("RED  ")).count());
        }

        /** The promises its RED lines name, for the verdict; "the race check" when none does. */
        String brokenWords() {
            List<String> words = Arrays.stream(line.split("\n")).map(String::strip).filter(l -> l.startsWith("RED  "))
                    .map(l -> l.substring(5)).toList();
            return words.isEmpty() ? "the race check" : String.join("; ", words);
        }
    }

    /** Runs the lesson's StopKeepsItsPromiseRace tests under jcstress, in a child JVM. */
    RaceCheck races(String lessonPackage, Path work) throws Exception {
        WriterUnderTest writer = WriterUnderTest.of(lessonPackage);
        if (writer.whyNot() != null) {
            return new RaceCheck(true, "--   cannot run on this design (" + writer.whyNot()
                    + "): the suite above judges the fix alone", 0, List.of());
        }
        List<String> expected;
        try (InputStream list = Exercise.class.getClassLoader().getResourceAsStream("META-INF/TestList")) {
            expected = list == null ? List.of()
                    : Jcstress.select(Jcstress.testList(list), "^" + lessonPackage.replace(".", "\\.") + "\\.\\w+Race$");
        }
        if (expected.isEmpty()) {
            return new RaceCheck(false, "RED  no race test found in " + lessonPackage + " (StopKeepsItsPromiseRace)",
                    0, List.of("META-INF/TestList on the class path lists no " + lessonPackage + ".*Race test"));
        }
        String regex = String.join("|", expected.stream().map(t -> t.replace(".", "\\.")).toList());
        Files.createDirectories(work);
        Path log = work.resolve("jcstress-output.txt");
        out.println("       (running " + String.join(", ", Jcstress.shortNames(expected)) + "; its output: " + log + ")");
        out.flush();
        Jcstress.Result r;
        try (PrintStream echo = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8)) {
            // -af NONE: the flusher is started by the actor and would inherit a pinned actor's one CPU.
            r = Jcstress.run(List.of("-cp", System.getProperty("java.class.path"), "org.openjdk.jcstress.Main"),
                    List.of("-t", regex, "-m", "sanity", "-time", "100", "-iters", "2", "-sc", "false", "-af", "NONE", "-jvmArgs", "-Dkata.jcstress.single-mode=true", "-v"), expected,
                    work.resolve("jcstress-results"), echo, RACE_TIMEOUT);
        }
        long samples = r.samples().values().stream().mapToLong(Long::longValue).sum();
        List<String> lines = new ArrayList<>();
        List<String> whys = new ArrayList<>();
        for (String test : expected) {
            String promise = promiseOf(test, writer);
            long n = r.samples().getOrDefault(test, 0L);
            List<String> bad = r.badOutcomes().getOrDefault(test, List.of());
            if (!bad.isEmpty()) {
                long broken = bad.stream().mapToLong(Exercise::samplesOf).sum();
                lines.add("RED  " + promise + "\n       " + String.format("%,d of %,d races: ", broken, n)
                        + bad.stream().map(Exercise::descriptionOf).distinct().reduce((x, y) -> x + "; " + y).orElse(""));
            } else if (n > 0) {
                lines.add("ok   " + promise + ": kept in " + String.format("%,d", n) + " races");
            } else {
                lines.add("RED  " + promise + "\n       not run");
            }
        }
        if (r.ok()) {
            return new RaceCheck(true, String.join("\n  ", lines), samples, List.of());
        }
        if (r.badOutcomes().isEmpty()) {
            // It could not run (a hang, a crash): the problem, in one line, on every promise it left unjudged.
            lines = lines.stream().map(l -> l.replace("\n       not run", "\n       the race check could not run: "
                    + r.problems().get(0))).toList();
        }
        List<String> evidence = new ArrayList<>(r.problems());
        evidence.add("full output: " + log + "; report: " + r.report().toUri());
        return new RaceCheck(false, String.join("\n  ", lines), samples, evidence);
    }

    /** The promise a race test checks, in words. */
    static String promiseOf(String test, WriterUnderTest writer) {
        if (test.endsWith("WritesAndFlushesDoNotOverlapRace")) {
            return "writes and flushes never overlap under races";
        }
        return writer.stopName() + " keeps its promise under races";
    }

    /** The SAMPLES column of a jcstress outcome row, e.g. "1, 0 5,809 2.10% Forbidden BROKEN ...". */
    static long samplesOf(String row) {
        String[] words = row.split(" ");
        for (int i = 0; i + 2 < words.length; i++) {
            if (words[i + 1].endsWith("%") && words[i + 2].equals("Forbidden")) {
                return Long.parseLong(words[i].replace(",", ""));
            }
        }
        return 0;
    }

    /** The outcome's description: what jcstress prints after Forbidden. */
    static String descriptionOf(String row) {
        int at = row.indexOf("Forbidden");
        return at < 0 ? row : row.substring(at + "Forbidden".length()).trim().replaceFirst("^BROKEN PROMISE: ", "");
    }

    private static String firstLine(Throwable t) {
        String m = t.getMessage() == null ? t.toString() : t.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    /** The failure, its own frames only (JUnit's and reflection's cut), and what the leak checker added. */
    private void evidence(Throwable t) {
        out.println(capThreads(t.getMessage() == null ? t.toString() : t.getMessage()));
        Arrays.stream(t.getStackTrace()).filter(f -> f.getClassName().startsWith("dev.flushkata."))
                .limit(8).forEach(f -> out.println("\tat " + f));
        for (Throwable s : t.getSuppressed()) {
            out.println("and " + capThreads(s.getMessage() == null ? s.toString() : s.getMessage()));
        }
    }

    /**
     * A leak report with its thread list cut to the first THREADS_SHOWN threads (each with its stack) and
     * "and N more thread(s)": a hundred leaked flushers say no more than ten.
     */
    static String capThreads(String report) {
        List<String> kept = new ArrayList<>();
        int threads = 0;
        boolean inNames = false;
        boolean groupShown = true; // a group of threads sharing a stack: its stack stays if any of them does
        for (String line : report.split("\n", -1)) {
            if (line.startsWith("  \"")) {
                threads++;
                if (!inNames) {
                    groupShown = false;
                }
                inNames = true;
                if (threads <= THREADS_SHOWN) {
                    groupShown = true;
                    kept.add(line);
                }
            } else {
                inNames = false;
                if (!line.startsWith("    ")) {
                    groupShown = true; // the list has ended: what follows is the report's own text
                }
                if (groupShown) {
                    kept.add(line);
                }
            }
        }
        String capped = String.join("\n", kept);
        return threads <= THREADS_SHOWN ? capped : capped.stripTrailing() + "\n  and " + (threads - THREADS_SHOWN)
                + " more thread(s), not listed";
    }
}
