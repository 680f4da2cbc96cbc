package dev.flushkata.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flushkata.plumbing.CommandLine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchOptionsTest {

    @Test
    void defaultsAreTheFixedLessonsAtBothIntervalsWithBothBodies() {
        BenchOptions o = BenchOptions.parse(new String[0]);

        assertThat(o.lessons()).containsExactly("lesson-02", "lesson-03");
        assertThat(o.flushIntervals()).containsExactly(Duration.ofMillis(100), Duration.ZERO);
        assertThat(o.bodies()).containsExactly(Body.TINY, Body.KIB_64);
        assertThat(o.concurrency()).isEqualTo(16);
        assertThat(o.proxyJvmArgs()).isEmpty();
    }

    @Test
    void proxyJvmArgsAreSplitIntoWords() {
        BenchOptions o = BenchOptions.parse(new String[] {"--proxy-jvm-args", " -Xmx32m  -XX:+UseSerialGC ",
            "--bodies", "tiny", "--jfr", "lesson-02"});

        assertThat(o.proxyJvmArgs()).containsExactly("-Xmx32m", "-XX:+UseSerialGC");
        assertThat(o.bodies()).containsExactly(Body.TINY);
        assertThat(o.jfr()).containsExactly("lesson-02");
    }

    @Test
    void badValuesAreUsageErrorsAndHelpIsNull() {
        assertThat(BenchOptions.parse(new String[] {"--help"})).isNull();
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--bodies", "huge"}))
                .isInstanceOf(CommandLine.UsageException.class).hasMessageContaining("no body 'huge'");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--flush-intervals", "-1ms"}))
                .isInstanceOf(CommandLine.UsageException.class);
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--seconds", "0"}))
                .isInstanceOf(CommandLine.UsageException.class);
    }

    @Test
    void lessonJarsAreFoundByPrefixInTheOrderAsked(@TempDir Path root) throws Exception {
        for (String l : List.of("lesson-01-leaky", "lesson-02-fixed", "lesson-03-refactor-testable")) {
            Files.createDirectories(root.resolve(l).resolve("target"));
            Files.writeString(root.resolve(l).resolve("target").resolve(l + ".jar"), "");
        }

        assertThat(LessonJars.find(root, List.of("lesson-03", "lesson-02", "lesson-03-refactor-testable")))
                .extracting(LessonJars::lesson).containsExactly("lesson-03-refactor-testable", "lesson-02-fixed");
        assertThatThrownBy(() -> LessonJars.find(root, List.of("lesson-09")))
                .isInstanceOf(CommandLine.UsageException.class).hasMessageContaining("no jar for 'lesson-09'");
    }
}
