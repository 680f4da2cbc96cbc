package dev.flushkata.docs;

import java.nio.file.Path;
import java.util.List;

/** docs/side-by-side/index.html: every lesson pair with its page, its unified diff and both READMEs. */
final class SideBySideIndex {

    private SideBySideIndex() {
    }

    static String render(List<Path> lessons, List<LessonPair> pairs) {
        StringBuilder out = new StringBuilder();
        out.append("<h1>The flush-interval kata, lesson by lesson</h1>\n")
                .append("<p class=\"intro\">Each lesson is a module holding only the code its commit touched. ")
                .append("Each page shows two adjacent lessons in two columns, main and test code, with the commit ")
                .append("message of each above its column. Open it after the exercise: the first page is the ")
                .append("answer to it.</p>\n")
                .append(SideBySide.LEGEND)
                .append("<ol class=\"pairs\">\n");
        for (LessonPair pair : pairs) {
            long removed = 0;
            long added = 0;
            long files = 0;
            for (LessonPair.File f : pair.files()) {
                List<SideBySideRows.Row> rows = SideBySideRows.of(f.before(), f.after());
                removed += SideBySideRows.removed(rows);
                added += SideBySideRows.added(rows);
                files += f.unchanged() ? 0 : 1;
            }
            LessonStory to = LessonStory.of(pair.to());
            out.append("<li><h2><a href=\"").append(Html.escape(SideBySidePage.fileName(pair))).append("\">")
                    .append(SideBySide.title(pair)).append("</a></h2>\n")
                    .append("<p class=\"subject\">").append(Html.escape(to.summary())).append("</p>\n")
                    .append("<p>").append(files).append(" files changed, −").append(removed).append(" +")
                    .append(added).append(" lines · <a href=\"").append(SideBySide.diffLink(pair))
                    .append("\">unified diff</a> · READMEs: ")
                    .append(SideBySide.readmeLink(pair.from(), LessonStory.of(pair.from()))).append(", ")
                    .append(SideBySide.readmeLink(pair.to(), to)).append("</p></li>\n");
        }
        out.append("</ol>\n<h2>The lessons</h2>\n<table class=\"lessons\">\n");
        for (Path lesson : lessons) {
            LessonStory s = LessonStory.of(lesson);
            out.append("<tr><th>").append(SideBySide.readmeLink(lesson, s)).append("</th><td>")
                    .append(Html.escape(s.summary())).append("</td></tr>\n");
        }
        out.append("</table>\n").append(SideBySide.footer());
        return Html.page("The flush-interval kata, lesson by lesson", out.toString());
    }
}
