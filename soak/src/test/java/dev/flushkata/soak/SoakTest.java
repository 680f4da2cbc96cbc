package dev.flushkata.soak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flushkata.plumbing.Lesson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The short soak of the default build: 1000 requests per fixed lesson, every fault kind injected. */
class SoakTest {

    @ParameterizedTest
    @ValueSource(strings = {"lesson-02-fixed", "lesson-03-refactor-testable", "lesson-04-timer"})
    void aThousandRequestsLoseNothing(String lesson) throws Exception {
        Soak.Options options = Soak.parse(new String[] {"--requests", "1000", "--lesson", lesson}, Lesson.all());
        ByteArrayOutputStream text = new ByteArrayOutputStream();

        Soak.Result r = new Soak(options).run(new PrintStream(text, true, StandardCharsets.UTF_8));

        assertThat(r.problems()).isEmpty();
        assertThat(r.mismatches()).isZero();
        assertThat(r.bytesChecked()).isGreaterThan(10_000_000);
        assertThat(r.byKind()).allSatisfy((kind, n) -> assertThat(n).as(kind.name()).isPositive());
        assertThat(r.leftThreads()).isEmpty();
        assertThat(r.flushesAfterClose()).isZero();
        assertThat(r.heapGrew()).isFalse();
        assertThat(r.ok()).isTrue();
        assertThat(text.toString(StandardCharsets.UTF_8)).contains("soak passed: nothing lost");
    }

    @Test
    void soaksOnlyFixedLessons() {
        assertThat(Soak.parse(new String[0], Lesson.all()).lesson().name()).isEqualTo("lesson-04-timer");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> Soak.parse(new String[] {"--lesson", "lesson-01"}, Lesson.all()))
                .hasMessageContaining("no fixed lesson named 'lesson-01'");
    }

    @Test
    void refusesBadOptionsWithOneLine() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> Soak.parse(new String[] {"--faults", "101"}, Lesson.all()))
                .isInstanceOf(picocli.CommandLine.ParameterException.class)
                .hasMessage("--faults must be between 0 and 100, got 101");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> Soak.parse(new String[] {"--seed", "x"}, Lesson.all()))
                .hasMessageContaining("'x' is not a long");
        assertThat(Soak.parse(new String[] {"--help"}, Lesson.all())).isNull();
    }
}
