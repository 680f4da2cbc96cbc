package dev.flushkata.docs;

import dev.flushkata.docs.SideBySideRows.Kind;
import dev.flushkata.docs.SideBySideRows.Row;
import dev.flushkata.docs.SideBySideRows.Side;
import dev.flushkata.docs.SideBySideRows.Span;
import java.nio.file.Path;
import java.util.List;

/** The page of one lesson pair: both stories, then every file in two columns, changes marked, the rest folded. */
final class SideBySidePage {

    /** Unchanged lines shown around a change, as many as the unified diffs show. */
    static final int CONTEXT = LessonDiffs.CONTEXT;
    /** Shorter unchanged runs stay open: folding a few lines saves less than the click costs. */
    static final int MIN_FOLD = 6;

    private SideBySidePage() {
    }

    static String fileName(LessonPair pair) {
        return pair.name() + ".html";
    }

    static String render(LessonPair pair) {
        List<LessonPair.File> files = pair.files();
        StringBuilder out = new StringBuilder();
        out.append("<nav class=\"top\"><a href=\"index.html\">All lesson pairs</a> · <a href=\"")
                .append(SideBySide.diffLink(pair)).append("\">the same as a unified diff</a></nav>\n")
                .append("<h1>").append(SideBySide.title(pair)).append("</h1>\n")
                .append(SideBySide.LEGEND)
                .append("<div class=\"pair stories\">\n").append(story(pair.from(), "old"))
                .append(story(pair.to(), "new")).append("</div>\n");
        List<List<Row>> rows = files.stream().map(f -> SideBySideRows.of(f.before(), f.after())).toList();
        out.append("<table class=\"files\">\n<caption>Files, main and test code</caption>\n");
        for (int i = 0; i < files.size(); i++) {
            LessonPair.File f = files.get(i);
            out.append("<tr><td><a href=\"#").append(id(f)).append("\">").append(path(f)).append("</a></td><td>")
                    .append(status(f, rows.get(i))).append("</td></tr>\n");
        }
        out.append("</table>\n");
        for (int i = 0; i < files.size(); i++) {
            file(out, pair, files.get(i), rows.get(i));
        }
        out.append(SideBySide.footer());
        return Html.page(pair.fromName() + " → " + pair.toName() + ", side by side", out.toString());
    }

    private static String story(Path lesson, String side) {
        LessonStory s = LessonStory.of(lesson);
        StringBuilder out = new StringBuilder("<section class=\"story ").append(side).append("\">\n<h2>")
                .append(SideBySide.readmeLink(lesson, s)).append("</h2>\n");
        if (!s.subject().isEmpty()) {
            out.append("<p class=\"subject\">").append(Html.escape(s.subject())).append("</p>\n");
        }
        s.body().forEach(p -> out.append("<p>").append(Html.escape(p)).append("</p>\n"));
        return out.append("</section>\n").toString();
    }

    private static void file(StringBuilder out, LessonPair pair, LessonPair.File f, List<Row> rows) {
        out.append("<section class=\"file\" id=\"").append(id(f)).append("\" data-path=\"")
                .append(Html.escape(f.path())).append("\">\n<h3>").append(path(f))
                .append(" <span class=\"status\">").append(status(f, rows)).append("</span></h3>\n")
                .append("<div class=\"pair heads\"><div>").append(Html.escape(pair.fromName()))
                .append("</div><div>").append(Html.escape(pair.toName())).append("</div></div>\n");
        boolean[] shown = new boolean[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).kind() != Kind.SAME) {
                for (int j = Math.max(0, i - CONTEXT); j <= Math.min(rows.size() - 1, i + CONTEXT); j++) {
                    shown[j] = true;
                }
            }
        }
        int i = 0;
        while (i < rows.size()) {
            int end = i;
            while (end < rows.size() && !shown[end]) {
                end++;
            }
            if (end - i >= MIN_FOLD) {
                fold(out, rows.subList(i, end), f.unchanged());
                i = end;
            } else {
                row(out, rows.get(i));
                i++;
            }
        }
        out.append("</section>\n");
    }

    private static void fold(StringBuilder out, List<Row> rows, boolean wholeFile) {
        Row first = rows.get(0);
        Row last = rows.get(rows.size() - 1);
        String where = first.left().number() == first.right().number() && last.left().number() == last.right().number()
                ? "lines " + first.left().number() + "–" + last.left().number()
                : "lines " + first.left().number() + "–" + last.left().number() + " on the left, "
                        + first.right().number() + "–" + last.right().number() + " on the right";
        out.append("<details class=\"fold\"><summary>")
                .append(wholeFile ? "Unchanged file: " + rows.size() + " lines" : rows.size() + " unchanged lines (" + where + ")")
                .append("</summary>\n");
        rows.forEach(r -> row(out, r));
        out.append("</details>\n");
    }

    private static void row(StringBuilder out, Row r) {
        out.append("<div class=\"pair row\">");
        side(out, "old", r.left(), r.kind() != Kind.SAME, r.kind() == Kind.CHANGED, "-", "del");
        side(out, "new", r.right(), r.kind() != Kind.SAME, r.kind() == Kind.CHANGED, "+", "ins");
        out.append("</div>\n");
    }

    private static void side(StringBuilder out, String which, Side side, boolean changed, boolean inline,
            String mark, String tag) {
        if (side == null) {
            out.append("<div class=\"side ").append(which).append(" none\"></div>");
            return;
        }
        out.append("<div class=\"side ").append(which).append(changed ? " changed" : "").append("\" data-line=\"")
                .append(side.number()).append("\"><span class=\"no\">").append(side.number())
                .append("</span><span class=\"mark\">").append(changed ? mark : " ").append("</span><code")
                .append(indent(side.text())).append(">");
        for (Span s : side.spans()) {
            boolean marked = inline && s.changed();
            out.append(marked ? "<" + tag + ">" : "").append(Html.escape(s.text())).append(marked ? "</" + tag + ">" : "");
        }
        out.append("</code></div>");
    }

    /** The line's indent, for the stylesheet to wrap a long line under its own start rather than at column 0. */
    private static String indent(String line) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == ' ') {
            n++;
        }
        return n == 0 ? "" : " style=\"--indent:" + n + "\"";
    }

    /** "removed", "added", "unchanged", or how many lines each side changed. */
    static String status(LessonPair.File f, List<Row> rows) {
        if (!f.inTo()) {
            return "removed, " + f.before().size() + " lines";
        }
        if (!f.inFrom()) {
            return "added, " + f.after().size() + " lines";
        }
        if (f.unchanged()) {
            return "unchanged";
        }
        return "−" + SideBySideRows.removed(rows) + " +" + SideBySideRows.added(rows) + " lines";
    }

    /** The path with the directories dimmed, so the file name stands out on a projector. */
    private static String path(LessonPair.File f) {
        int slash = f.path().lastIndexOf('/') + 1;
        return "<span class=\"dir\">" + Html.escape(f.path().substring(0, slash)) + "</span>"
                + Html.escape(f.path().substring(slash));
    }

    private static String id(LessonPair.File f) {
        return "file-" + f.path().replaceAll("[^A-Za-z0-9]+", "-");
    }
}
