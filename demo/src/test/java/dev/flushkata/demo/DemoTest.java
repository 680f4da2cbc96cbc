package dev.flushkata.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flushkata.plumbing.Lesson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.ParameterException;

/** The demo's measurements, on a small load: real proxies, real threads, real counts. */
class DemoTest {

    static final int REQUESTS = 20;

    @Test
    void measuresOneLeakedFlusherPerRequestOnLesson01AndNoneOnTheFixedLessons(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        Demo.Options options = Demo.parse(new String[] {"--requests", "" + REQUESTS, "--concurrency", "4",
                "--settle", "500ms", "--output", dir.toString(), "--path", "/stream?chunks=2&size=16&delayMs=20"},
                Lesson.all());

        List<Row> rows = new Demo(options, new PrintStream(text, true, StandardCharsets.UTF_8), false).run();
        String out = text.toString(StandardCharsets.UTF_8);
        System.out.print(out); // what the demo printed, with the reason of any failed request

        assertThat(rows).extracting(Row::lesson)
                .containsExactly("lesson-01-leaky", "lesson-02-fixed", "lesson-03-refactor-testable", "lesson-04-timer");
        Row leaky = rows.get(0);
        assertThat(rows).as(out).allSatisfy(r -> assertThat(r.done()).as(r.lesson()).isEqualTo(REQUESTS));
        assertThat(leaky.flushers()).isEqualTo(REQUESTS);
        assertThat(leaky.later()).as("still alive after the settle time").isEqualTo(REQUESTS);
        assertThat(leaky.lateFlushes()).isPositive();
        for (Row fixed : rows.subList(1, rows.size())) {
            assertThat(fixed.failed()).isZero();
            assertThat(fixed.later()).isZero();
            assertThat(fixed.lateFlushes()).isZero();
            assertThat(fixed.p50Millis()).isPositive().isLessThanOrEqualTo(fixed.p99Millis());
        }
        assertThat(out).contains("summary:", "flushers 500ms later", "threads left behind by the demo: 0");
        Path png = dir.resolve("flusher-threads.png");
        assertThat(out).contains("chart: " + png.toAbsolutePath());
        assertThat(Files.readAllBytes(png)).startsWith(0x89, 'P', 'N', 'G');
    }

    @Test
    void refusesBadOptionsWithOneLine() {
        List<Lesson> all = Lesson.all();
        assertThatThrownBy(() -> Demo.parse(new String[] {"--requests", "0"}, all))
                .isInstanceOf(ParameterException.class).hasMessage("--requests must be between 1 and 100000, got 0");
        assertThatThrownBy(() -> Demo.parse(new String[] {"--flush-interval", "-1ms"}, all))
                .hasMessageContaining("--flush-interval must not be negative");
        assertThatThrownBy(() -> Demo.parse(new String[] {"--lessons", "lesson-09"}, all))
                .hasMessageContaining("no lesson named 'lesson-09'");
        assertThatThrownBy(() -> Demo.parse(new String[] {"--duration", "soon"}, all))
                .hasMessageContaining("not a duration");
        assertThatThrownBy(() -> Demo.parse(new String[] {"--path", "stream"}, all))
                .hasMessage("--path must start with /, got 'stream'");
        assertThatThrownBy(() -> Demo.parse(new String[] {"--plain", "yes"}, all))
                .isInstanceOf(ParameterException.class).hasMessageContaining("'yes'");
        assertThat(Demo.parse(new String[] {"--help"}, all)).isNull();
    }

    @Test
    void selectsLessonsByNameOrPrefix() {
        assertThat(Demo.parse(new String[] {"--lessons", "lesson-01, lesson-03"}, Lesson.all()).lessons())
                .extracting(Lesson::name).containsExactly("lesson-01-leaky", "lesson-03-refactor-testable");
    }

    @Test
    void defaultsAreEveryLessonAndTheUsageShowsThem() {
        Demo.Options o = Demo.parse(new String[] {"--plain"}, Lesson.all());

        assertThat(o.lessons()).hasSize(4);
        assertThat(o.requests()).isEqualTo(300);
        assertThat(o.flushInterval()).hasMillis(100);
        assertThat(o.plain()).isTrue();
        assertThat(new picocli.CommandLine(new Demo.Args()).getUsageMessage())
                .startsWith("Usage: java -jar demo/target/demo.jar").contains("(default: 300)", "(default: 100ms");
    }
}
