package dev.flushkata.docs;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import java.util.List;

/** The unified diff between two adjacent lessons, the text docs/diffs holds. */
public final class LessonDiffs {

    /** Rewrites docs/diffs and docs/side-by-side; printed in the generated files and in every staleness message. */
    public static final String REGENERATE = "./mvnw -q -pl docs-check test -Dkata.updateDiffs=true";

    static final int CONTEXT = 3;

    private LessonDiffs() {
    }

    /** docs/diffs file name for the pair. */
    public static String fileName(LessonPair pair) {
        return pair.name() + ".diff";
    }

    /** The whole diff of the pair, file by file in path order. */
    public static String diff(LessonPair pair) {
        StringBuilder out = new StringBuilder();
        out.append("# ").append(pair.fromName()).append(" -> ").append(pair.toName())
                .append(": src/ of both modules, packages shown as lessonNN, module names as lesson-NN.\n")
                .append("# Regenerate: ").append(REGENERATE).append('\n');
        for (LessonPair.File f : pair.files()) {
            out.append(unified(f));
        }
        return out.toString();
    }

    /** One file's hunks, "--- /dev/null" for a file the first lesson lacks; "" when unchanged. */
    static String unified(LessonPair.File f) {
        List<String> lines = UnifiedDiffUtils.generateUnifiedDiff(f.inFrom() ? "a/" + f.path() : null,
                f.inTo() ? "b/" + f.path() : null, f.before(), DiffUtils.diff(f.before(), f.after()), CONTEXT);
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }
}
