package dev.flushkata.docs;

import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.ChangeDelta;
import com.github.difflib.patch.Chunk;
import com.github.difflib.patch.DeleteDelta;
import com.github.difflib.patch.DeltaType;
import com.github.difflib.patch.InsertDelta;
import com.github.difflib.patch.Patch;
import com.github.difflib.text.DiffRow;
import com.github.difflib.text.DiffRowGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A file's two versions as rows of a two-column view, by java-diff-utils, with the changed words marked. */
public final class SideBySideRows {

    /** What a row shows: the same line twice, a line changed in place, or a line only one side has. */
    public enum Kind { SAME, CHANGED, REMOVED, ADDED }

    /** A run of a line's text, marked when it is what changed. */
    public record Span(String text, boolean changed) {
    }

    /** One side of a row: a line number (from 1) and its text; null where the side has no line. */
    public record Side(int number, List<Span> spans) {

        public String text() {
            return spans.stream().map(Span::text).reduce("", String::concat);
        }
    }

    /** One row: left is the first lesson's line, right the second's. */
    public record Row(Kind kind, Side left, Side right) {
    }

    // Markers java-diff-utils puts around changed words; private-use characters that Java sources do not hold.
    private static final String OPEN = "\uE000";
    private static final String CLOSE = "\uE001";
    // Words, and any other character alone (a blank, a bracket, a line break): changes show word by word.
    private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}_$]+|.", Pattern.DOTALL);

    private static final DiffRowGenerator GENERATOR = DiffRowGenerator.create()
            .showInlineDiffs(true)
            .inlineDiffBySplitter(SideBySideRows::tokens)
            .lineNormalizer(line -> line) // no HTML here: Html.escape escapes the text when it is written
            .oldTag(open -> open ? OPEN : CLOSE)
            .newTag(open -> open ? OPEN : CLOSE)
            .build();

    private SideBySideRows() {
    }

    /** The rows that turn before into after; every line of both appears once, in order. */
    public static List<Row> of(List<String> before, List<String> after) {
        if (holdsMarker(before) || holdsMarker(after)) {
            throw new IllegalArgumentException("a line holds U+E000 or U+E001, the markers of changed words");
        }
        List<Row> rows = new ArrayList<>();
        int a = 0;
        int b = 0;
        for (DiffRow r : GENERATOR.generateDiffRows(before, lineDiff(before, after))) {
            switch (r.getTag()) {
                case EQUAL -> rows.add(new Row(Kind.SAME, plain(++a, before), plain(++b, after)));
                case DELETE -> rows.add(new Row(Kind.REMOVED, plain(++a, before), null));
                case INSERT -> rows.add(new Row(Kind.ADDED, null, plain(++b, after)));
                case CHANGE -> rows.add(new Row(Kind.CHANGED, marked(++a, r.getOldLine(), before),
                        marked(++b, r.getNewLine(), after)));
            }
        }
        if (a != before.size() || b != after.size()) {
            throw new IllegalStateException("the diff rows cover " + a + "/" + before.size() + " and "
                    + b + "/" + after.size() + " lines");
        }
        return rows;
    }

    /** Lines of the first version that the rows mark as changed or removed. */
    public static long removed(List<Row> rows) {
        return rows.stream().filter(r -> r.kind() == Kind.CHANGED || r.kind() == Kind.REMOVED).count();
    }

    /** Lines of the second version that the rows mark as changed or added. */
    public static long added(List<Row> rows) {
        return rows.stream().filter(r -> r.kind() == Kind.CHANGED || r.kind() == Kind.ADDED).count();
    }

    /**
     * The line diff, each changed block split where its lines match but for blanks: a re-indented line then
     * faces its old self instead of whatever line comes first. The same lines change as in the plain diff.
     */
    private static Patch<String> lineDiff(List<String> before, List<String> after) {
        Patch<String> out = new Patch<>();
        for (AbstractDelta<String> d : DiffUtils.diff(before, after).getDeltas()) {
            if (d.getType() != DeltaType.CHANGE) {
                out.addDelta(d);
                continue;
            }
            Chunk<String> a = d.getSource();
            Chunk<String> b = d.getTarget();
            int i = 0;
            int j = 0;
            for (AbstractDelta<String> sub : DiffUtils.diff(a.getLines(), b.getLines(),
                    DiffRowGenerator.IGNORE_WHITESPACE_EQUALIZER).getDeltas()) {
                facing(out, a, b, i, j, sub.getSource().getPosition() - i);
                Chunk<String> sa = chunk(a, sub.getSource().getPosition(), sub.getSource().size());
                Chunk<String> sb = chunk(b, sub.getTarget().getPosition(), sub.getTarget().size());
                out.addDelta(switch (sub.getType()) {
                    case INSERT -> new InsertDelta<>(sa, sb);
                    case DELETE -> new DeleteDelta<>(sa, sb);
                    default -> new ChangeDelta<>(sa, sb);
                });
                i = sub.getSource().getPosition() + sub.getSource().size();
                j = sub.getTarget().getPosition() + sub.getTarget().size();
            }
            facing(out, a, b, i, j, a.size() - i);
        }
        return out;
    }

    /** n lines of a from i and of b from j that differ in blanks only, one row each. */
    private static void facing(Patch<String> out, Chunk<String> a, Chunk<String> b, int i, int j, int n) {
        if (n > 0) {
            out.addDelta(new ChangeDelta<>(chunk(a, i, n), chunk(b, j, n)));
        }
    }

    private static Chunk<String> chunk(Chunk<String> of, int from, int n) {
        return new Chunk<>(of.getPosition() + from, of.getLines().subList(from, from + n));
    }

    private static boolean holdsMarker(List<String> lines) {
        return lines.stream().anyMatch(l -> l.contains(OPEN) || l.contains(CLOSE));
    }

    private static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            tokens.add(m.group());
        }
        return tokens;
    }

    private static Side plain(int number, List<String> lines) {
        return new Side(number, List.of(new Span(lines.get(number - 1), false)));
    }

    /** The line's spans from the markers java-diff-utils inserted, checked against the line itself. */
    private static Side marked(int number, String tagged, List<String> lines) {
        List<Span> spans = new ArrayList<>();
        Matcher m = Pattern.compile(OPEN + "([^" + CLOSE + "]*)" + CLOSE).matcher(tagged);
        int at = 0;
        while (m.find()) {
            addSpan(spans, tagged.substring(at, m.start()), false);
            addSpan(spans, m.group(1), true);
            at = m.end();
        }
        addSpan(spans, tagged.substring(at), false);
        Side side = new Side(number, spans);
        if (!side.text().equals(lines.get(number - 1))) {
            throw new IllegalStateException("line " + number + " came back from the diff as " + tagged);
        }
        return side;
    }

    private static void addSpan(List<Span> spans, String text, boolean changed) {
        if (text.isEmpty()) {
            return;
        }
        int last = spans.size() - 1;
        if (last >= 0 && spans.get(last).changed() == changed) {
            spans.set(last, new Span(spans.get(last).text() + text, changed));
        } else {
            spans.add(new Span(text, changed));
        }
    }
}
