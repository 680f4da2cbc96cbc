package dev.flushkata.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/diffs must match the lessons as they are, and each diff must turn one lesson into the next. */
class LessonDiffsTest {

    @Test
    void everyAdjacentPairOfLessonsHasAnUpToDateDiff() throws Exception {
        List<LessonPair> pairs = LessonPair.adjacent(GeneratedDocs.ROOT);
        assertThat(pairs).isNotEmpty();
        Map<String, String> expected = new LinkedHashMap<>();
        pairs.forEach(p -> expected.put(LessonDiffs.fileName(p), LessonDiffs.diff(p)));
        GeneratedDocs.checkOrUpdate(GeneratedDocs.ROOT.resolve("docs/diffs"), expected);
    }

    @Test
    void eachFilesHunksApplyToTheFirstLessonAndGiveTheSecond() throws Exception {
        for (LessonPair pair : LessonPair.adjacent(GeneratedDocs.ROOT)) {
            for (LessonPair.File f : pair.files()) {
                List<String> hunks = LessonDiffs.unified(f).lines().toList();
                assertThat(DiffUtils.patch(f.before(), UnifiedDiffUtils.parseUnifiedDiff(hunks)))
                        .as("%s: %s", pair.name(), f.path()).isEqualTo(f.after());
            }
        }
    }

    @Test
    void printsHunksWithThreeLinesOfContext() {
        List<String> a = List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12");
        List<String> b = List.of("one", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "twelve");

        assertThat(LessonDiffs.unified(new LessonPair.File("x", a, b, true, true))).isEqualTo("""
                --- a/x
                +++ b/x
                @@ -1,4 +1,4 @@
                -1
                +one
                 2
                 3
                 4
                @@ -9,4 +9,4 @@
                 9
                 10
                 11
                -12
                +twelve
                """);
    }

    @Test
    void equalFilesGiveNothingAndNewFilesStartAtZero() {
        assertThat(LessonDiffs.unified(new LessonPair.File("x", List.of("x"), List.of("x"), true, true))).isEmpty();
        assertThat(LessonDiffs.unified(new LessonPair.File("y", List.of(), List.of("p", "q"), false, true)))
                .isEqualTo("""
                        --- /dev/null
                        +++ b/y
                        @@ -0,0 +1,2 @@
                        +p
                        +q
                        """);
    }
}
