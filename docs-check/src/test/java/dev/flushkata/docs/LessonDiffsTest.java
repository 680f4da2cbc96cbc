package dev.flushkata.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/diffs must match the lessons as they are; -Dkata.updateDiffs=true rewrites them instead. */
class LessonDiffsTest {

    static final Path ROOT = Path.of(System.getProperty("kata.root", "..")).toAbsolutePath().normalize();
    static final Path DIFFS = ROOT.resolve("docs/diffs");

    @Test
    void everyAdjacentPairOfLessonsHasAnUpToDateDiff() throws Exception {
        List<Path> lessons = LessonDiffs.lessons(ROOT);
        assertThat(lessons).hasSizeGreaterThanOrEqualTo(2);
        boolean update = Boolean.getBoolean("kata.updateDiffs");
        for (int i = 0; i + 1 < lessons.size(); i++) {
            Path file = DIFFS.resolve(LessonDiffs.fileName(lessons.get(i), lessons.get(i + 1)));
            String expected = LessonDiffs.diff(lessons.get(i), lessons.get(i + 1));
            if (update) {
                Files.createDirectories(DIFFS);
                Files.writeString(file, expected, StandardCharsets.UTF_8);
            }
            assertThat(file).as("%s is missing: run ./mvnw -q -pl docs-check test -Dkata.updateDiffs=true", file)
                    .exists();
            assertThat(Files.readString(file, StandardCharsets.UTF_8))
                    .as("%s is out of date: run ./mvnw -q -pl docs-check test -Dkata.updateDiffs=true", ROOT.relativize(file))
                    .isEqualTo(expected);
        }
    }
}
