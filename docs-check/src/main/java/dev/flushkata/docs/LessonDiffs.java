package dev.flushkata.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The diff between two adjacent lessons, main and test code, with each lesson's package and module
 * name replaced by a neutral one, so that what remains is the lesson's change.
 */
public final class LessonDiffs {

    private static final Pattern LESSON_DIR = Pattern.compile("lesson-(\\d\\d)-.*");

    private LessonDiffs() {
    }

    /** The lesson modules under root, in order. */
    public static List<Path> lessons(Path root) {
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> Files.isDirectory(d) && LESSON_DIR.matcher(d.getFileName().toString()).matches())
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** docs/diffs file name for the pair. */
    public static String fileName(Path from, Path to) {
        return from.getFileName() + "..." + to.getFileName() + ".diff";
    }

    /** The whole diff of from -> to, file by file in path order. */
    public static String diff(Path from, Path to) {
        Map<String, Path> a = sources(from);
        Map<String, Path> b = sources(to);
        TreeMap<String, Boolean> names = new TreeMap<>();
        a.keySet().forEach(k -> names.put(k, true));
        b.keySet().forEach(k -> names.put(k, true));
        StringBuilder out = new StringBuilder();
        out.append("# ").append(from.getFileName()).append(" -> ").append(to.getFileName())
                .append(": src/ of both modules, packages shown as lessonNN, module names as lesson-NN.\n")
                .append("# Regenerate: ./mvnw -q -pl docs-check test -Dkata.updateDiffs=true\n");
        for (String name : names.keySet()) {
            List<String> before = a.containsKey(name) ? lines(a.get(name)) : List.of();
            List<String> after = b.containsKey(name) ? lines(b.get(name)) : List.of();
            String d = UnifiedDiff.of(a.containsKey(name) ? "a/" + name : "/dev/null", before,
                    b.containsKey(name) ? "b/" + name : "/dev/null", after);
            out.append(d);
        }
        return out.toString();
    }

    /** Files under module/src by their normalised relative path. */
    private static Map<String, Path> sources(Path module) {
        Map<String, Path> files = new TreeMap<>();
        Path src = module.resolve("src");
        try (Stream<Path> walk = Files.walk(src)) {
            walk.filter(Files::isRegularFile).forEach(f ->
                    files.put(normalise(module.relativize(f).toString().replace('\\', '/')), f));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static List<String> lines(Path f) {
        try {
            List<String> out = new ArrayList<>();
            for (String l : Files.readString(f, StandardCharsets.UTF_8).split("\n", -1)) {
                out.add(normalise(l));
            }
            if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
                out.remove(out.size() - 1);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String normalise(String s) {
        return s.replaceAll("lesson0\\d\\b", "lessonNN").replaceAll("lesson-0\\d-[a-z-]+[a-z]", "lesson-NN");
    }
}
