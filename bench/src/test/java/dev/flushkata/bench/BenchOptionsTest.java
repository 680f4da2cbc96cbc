package dev.flushkata.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.ParameterException;

class BenchOptionsTest {

    @Test
    void defaultsAreTheFixedLessonsAtBothIntervalsWithBothBodies() {
        BenchOptions o = BenchOptions.parse(new String[0]);

        assertThat(o.lessons()).containsExactly("lesson-02", "lesson-03", "lesson-04");
        assertThat(o.warmupSeconds()).as("long enough for the JIT: see docs/performance.md").isEqualTo(15);
        assertThat(o.flushIntervals()).containsExactly(Duration.ofMillis(100), Duration.ZERO);
        assertThat(o.bodies()).containsExactly(Body.TINY, Body.KIB_64);
        assertThat(o.concurrency()).isEqualTo(16);
        assertThat(o.proxyJvmArgs()).isEmpty();
    }

    @Test
    void proxyJvmArgsAreSplitIntoWords() {
        BenchOptions o = BenchOptions.parse(new String[] {"--proxy-jvm-args", " -Xmx32m  -XX:+UseSerialGC ",
            "--bodies", "tiny, tiny", "--jfr", "lesson-02", "--lessons", "lesson-01, lesson-03",
            "--flush-intervals", "0"});

        assertThat(o.proxyJvmArgs()).containsExactly("-Xmx32m", "-XX:+UseSerialGC");
        assertThat(o.bodies()).containsExactly(Body.TINY);
        assertThat(o.jfr()).containsExactly("lesson-02");
        assertThat(o.lessons()).as("the default replaced, not added to").containsExactly("lesson-01", "lesson-03");
        assertThat(o.flushIntervals()).containsExactly(Duration.ZERO);
        assertThat(BenchOptions.parse(new String[] {"--proxy-jvm-args", "-XX:+UseSerialGC"}).proxyJvmArgs())
                .as("a value that starts with a dash is still the option's value").containsExactly("-XX:+UseSerialGC");
    }

    @Test
    void badValuesAreUsageErrorsAndHelpIsNull() {
        assertThat(BenchOptions.parse(new String[] {"--help"})).isNull();
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--bodies", "huge"}))
                .isInstanceOf(ParameterException.class).hasMessageContaining("no body 'huge'");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--flush-intervals", "100ms,-1ms"}))
                .isInstanceOf(ParameterException.class).hasMessage("--flush-intervals must not be negative");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--seconds", "0"}))
                .isInstanceOf(ParameterException.class).hasMessage("--seconds must be between 1 and 600, got 0");
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
                .isInstanceOf(LessonJars.NoJar.class).hasMessageContaining("no jar for 'lesson-09'");
    }
}
