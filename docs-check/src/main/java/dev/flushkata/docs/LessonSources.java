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
 * The lesson modules and their sources, main and test code, with each lesson's package and module name
 * replaced by a neutral one, so that two lessons differ only by what the lesson changed.
 */
public final class LessonSources {

    private static final Pattern LESSON_DIR = Pattern.compile("lesson-(\\d\\d)-.*");

    private LessonSources() {
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

    /** The normalised lines of every file under module/src, by normalised relative path, in path order. */
    public static Map<String, List<String>> files(Path module) {
        Map<String, List<String>> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(module.resolve("src"))) {
            walk.filter(Files::isRegularFile).forEach(f ->
                    files.put(normalise(module.relativize(f).toString().replace('\\', '/')), lines(f)));
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
