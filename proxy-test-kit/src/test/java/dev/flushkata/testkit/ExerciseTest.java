package dev.flushkata.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exercise's verdict reads well: a RED ends on its verdict, and a hundred leaked threads say ten. */
class ExerciseTest {

    @Test
    void aRedEndsWithItsVerdictNamingTheBrokenPromise(@TempDir Path work) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean green;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            green = new Exercise(out).run("dev.flushkata.testkit.fake.boundedjoin", "fake", work);
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).strip().lines().toList();

        assertThat(green).isFalse();
        assertThat(lines).contains("  RED  once stop() returns, no flush is under way", "  --   not run: the suite above must be green first");
        assertThat(lines.get(lines.size() - 1))
                .isEqualTo("VERDICT: RED. 1 broken promise(s): once stop() returns, no flush is under way.");
    }

    @Test
    void aLeakReportListsTenThreadsAndCountsTheRest() {
        String names = IntStream.rangeClosed(1, 100).mapToObj(i -> "  \"max-latency-flusher-" + i + "\" state=TIMED_WAITING daemon=true")
                .collect(Collectors.joining("\n"));
        String report = "100 thread(s) also still alive when the test failed, not waited for:\n" + names
                + "\n    (the 100 threads above share this stack)\n      at a.B.c(B.java:1)\n      at a.B.d(B.java:2)\n";

        List<String> capped = Exercise.capThreads(report).lines().toList();

        assertThat(capped).hasSize(1 + 10 + 3 + 1).contains("      at a.B.c(B.java:1)", "    (the 100 threads above share this stack)");
        assertThat(capped.stream().filter(l -> l.startsWith("  \"")).count()).isEqualTo(10);
        assertThat(capped.get(capped.size() - 1)).isEqualTo("  and 90 more thread(s), not listed");
    }

    @Test
    void aShortReportIsLeftAsItIs() {
        String report = "1 thread(s) leaked:\n  \"t\" state=WAITING daemon=true\n      at a.B.c(B.java:1)\n";
        assertThat(Exercise.capThreads(report)).isEqualTo(report);
    }
}
