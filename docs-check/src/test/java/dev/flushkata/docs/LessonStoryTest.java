package dev.flushkata.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LessonStoryTest {

    @Test
    void theCommitMessageInTheFirstFencedBlockIsTheStory() {
        LessonStory s = LessonStory.parse("lesson-09-x", List.of("# lesson-09-x", "", "```",
                "flushkata/lesson09: the subject", "", "A body wrapped", "over two lines.", "", "Another.", "```",
                "", "Prose after it."));

        assertThat(s.title()).isEqualTo("lesson-09-x");
        assertThat(s.subject()).isEqualTo("flushkata/lesson09: the subject");
        assertThat(s.body()).containsExactly("A body wrapped over two lines.", "Another.");
        assertThat(s.summary()).isEqualTo(s.subject());
    }

    @Test
    void withoutAFencedBlockTheFirstParagraphIsTheStory() {
        LessonStory s = LessonStory.parse("m", List.of("# Title", "First paragraph", "goes on.", "", "Second."));

        assertThat(s.subject()).isEmpty();
        assertThat(s.body()).containsExactly("First paragraph goes on.");
        assertThat(s.summary()).isEqualTo("First paragraph goes on.");
    }

    @Test
    void aLessonWithoutReadmeIsItsName(@TempDir Path dir) {
        LessonStory s = LessonStory.of(dir.resolve("lesson-04-timer"));

        assertThat(s.hasReadme()).isFalse();
        assertThat(s.title()).isEqualTo("lesson-04-timer");
        assertThat(s.summary()).isEmpty();
    }

    @Test
    void everyLessonReadmeOpensWithItsCommitMessage() {
        for (Path lesson : LessonSources.lessons(GeneratedDocs.ROOT)) {
            String n = lesson.getFileName().toString().substring("lesson-".length(), "lesson-NN".length());
            assertThat(LessonStory.of(lesson).subject()).as("%s", lesson).startsWith("flushkata/lesson" + n + ":");
        }
    }
}
