package dev.flushkata.jcstress;

import dev.flushkata.testkit.Jcstress;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.regex.PatternSyntaxException;

/**
 * The build's jcstress step: runs the jcstress jar through {@link Jcstress} and exits non-zero on a
 * FORBIDDEN or Unknown outcome, an error, or an expected test that did not run (the jar's
 * META-INF/TestList filtered by the -t regex, as jcstress filters it), then says where the HTML report
 * is. Options (all {@code --name=value}; the pom passes every one, blank when unset):
 *
 * <pre>
 *   --jar=PATH       the shaded jcstress jar (required)
 *   --results=DIR    report and working directory; emptied first (required)
 *   --mode=MODE      -m: sanity (default), quick, default, tough, stress
 *   --time=MS        -time; blank: 100 in sanity mode, else the mode's own
 *   --iters=N        -iters; blank: 2 in sanity mode, else the mode's own
 *   --tests=REGEX    -t; blank: .*
 *   --split=BOOL     -sc, split compilation; blank: jcstress's own (true)
 *   --jvmArgs=ARGS   -jvmArgs: one JVM mode with these arguments; blank: every mode jcstress detects
 *   --affinity=MODE  -af: NONE, GLOBAL or LOCAL; blank: jcstress's own
 *   --args=ARGS      more jcstress options, space-separated
 * </pre>
 */
public final class RunJcstress {

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
        String split = orDefault(opts.get("split"), "");
        String jvmArgs = orDefault(opts.get("jvmArgs"), "");
        String affinity = orDefault(opts.get("affinity"), "");

        if (!Files.isRegularFile(jar)) {
            fail("no jcstress jar at " + jar + " (it is built in the package phase)");
        }
        List<String> all = testList(jar);
        List<String> expected;
        try {
            expected = Jcstress.select(all, tests);
        } catch (PatternSyntaxException e) {
            fail("-Djcstress.tests is not a regex: " + e.getMessage());
            return;
        }
        if (expected.isEmpty()) {
            fail("no jcstress test matches -t '" + tests + "' (jcstress would run nothing and exit 0). Tests:\n  "
                    + String.join("\n  ", all));
        }

        List<String> options = new ArrayList<>(List.of("-t", tests, "-m", mode));
        if (!time.isEmpty()) {
            options.addAll(List.of("-time", time));
        }
        if (!iters.isEmpty()) {
            options.addAll(List.of("-iters", iters));
        }
        if (!split.isEmpty()) {
            options.addAll(List.of("-sc", split));
        }
        if (!jvmArgs.isEmpty()) {
            options.addAll(List.of("-jvmArgs", jvmArgs));
        }
        if (!affinity.isEmpty()) {
            options.addAll(List.of("-af", affinity));
        }
        if (!extra.isEmpty()) {
            options.addAll(Arrays.asList(extra.split("\\s+")));
        }
        System.out.println("[jcstress] " + expected.size() + " test(s) expected: "
                + String.join(", ", Jcstress.shortNames(expected)));
        System.out.println("[jcstress] in " + results);
        Jcstress.Result r = Jcstress.run(List.of("-jar", jar.toString()), options, expected, results, System.out);

        int ran = expected.size() - (int) expected.stream().filter(t -> !Files.isRegularFile(results.resolve(t + ".html"))).count();
        System.out.println();
        System.out.println("[jcstress] " + ran + "/" + expected.size() + " test(s) ran in " + r.seconds() + " s (-m "
                + mode + (time.isEmpty() ? "" : " -time " + time) + (iters.isEmpty() ? "" : " -iters " + iters)
                + (split.isEmpty() ? "" : " -sc " + split) + (jvmArgs.isEmpty() ? "" : " -jvmArgs " + jvmArgs)
                + (affinity.isEmpty() ? "" : " -af " + affinity) + ")");
        if (!r.interesting().isEmpty()) {
            System.out.println("[jcstress] interesting outcomes (ACCEPTABLE_INTERESTING) seen in: "
                    + String.join(", ", Jcstress.shortNames(r.interesting())));
        }
        System.out.println("[jcstress] HTML report: "
                + (Files.isRegularFile(r.report()) ? r.report().toUri() : "none (" + r.report() + " missing)"));
        if (!r.ok()) {
            System.out.println("[jcstress] FAILED:");
            r.problems().forEach(p -> System.out.println("[jcstress]   " + p));
            System.out.flush();
            System.exit(1);
        }
        System.out.println("[jcstress] OK: no FORBIDDEN outcome, every expected test ran");
    }

    /** The tests the annotation processor listed in the jar's META-INF/TestList. */
    static List<String> testList(Path jar) throws Exception {
        try (JarFile jf = new JarFile(jar.toFile())) {
            var entry = jf.getJarEntry("META-INF/TestList");
            if (entry == null) {
                fail(jar + " has no META-INF/TestList: did jcstress's annotation processor run?");
            }
            try (InputStream in = jf.getInputStream(entry)) {
                return Jcstress.testList(in);
            }
        }
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

    private static void fail(String message) {
        System.out.println("[jcstress] FAILED: " + message);
        System.out.flush();
        System.exit(2);
    }
}
