package dev.flushkata.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The bench's figures in docs/performance.md are copies, never retyped: each table between
 * {@code <!-- bench-run: FILE -->} and {@code <!-- /bench-run -->} must appear row for row in FILE, a
 * bench run's own bench.md kept in docs/bench.
 */
class BenchFiguresTest {

    private static final Pattern BLOCK = Pattern.compile("<!-- bench-run: (\\S+) -->\\n(.*?)<!-- /bench-run -->",
            Pattern.DOTALL);

    @Test
    void everyQuotedTableRowIsInTheRunItNames() throws Exception {
        String doc = Files.readString(GeneratedDocs.ROOT.resolve("docs/performance.md"), StandardCharsets.UTF_8);
        Matcher m = BLOCK.matcher(doc);
        int blocks = 0;
        while (m.find()) {
            blocks++;
            Path run = GeneratedDocs.ROOT.resolve(m.group(1));
            assertThat(run).as("the run quoted in docs/performance.md").isRegularFile();
            List<String> runLines = Files.readAllLines(run, StandardCharsets.UTF_8);
            List<String> rows = m.group(2).lines().filter(l -> l.startsWith("|")).toList();
            assertThat(rows).as("table rows quoted from %s", m.group(1)).hasSizeGreaterThan(2);
            assertThat(runLines).as("%s must hold every row quoted from it", m.group(1)).containsAll(rows);
        }
        assertThat(blocks).as("quoted bench runs in docs/performance.md").isGreaterThanOrEqualTo(4);
    }
}
