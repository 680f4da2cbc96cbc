package dev.flushkata.docs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Two adjacent lessons: what the later one changed, file by file, is the lesson. */
public record LessonPair(Path from, Path to) {

    /** One source file of the pair, by normalised path; a lesson without the file gives it no lines. */
    public record File(String path, List<String> before, List<String> after, boolean inFrom, boolean inTo) {

        /** Whether both lessons hold the file, line for line the same. */
        public boolean unchanged() {
            return inFrom && inTo && before.equals(after);
        }
    }

    /** Every adjacent pair of lessons under root, in order. */
    public static List<LessonPair> adjacent(Path root) {
        List<Path> lessons = LessonSources.lessons(root);
        List<LessonPair> pairs = new ArrayList<>();
        for (int i = 0; i + 1 < lessons.size(); i++) {
            pairs.add(new LessonPair(lessons.get(i), lessons.get(i + 1)));
        }
        return pairs;
    }

    /** "lesson-01-leaky...lesson-02-fixed": the base name of the pair's generated files. */
    public String name() {
        return fromName() + "..." + toName();
    }

    public String fromName() {
        return from.getFileName().toString();
    }

    public String toName() {
        return to.getFileName().toString();
    }

    /** The files of either lesson, in normalised path order. */
    public List<File> files() {
        Map<String, List<String>> a = LessonSources.files(from);
        Map<String, List<String>> b = LessonSources.files(to);
        TreeSet<String> paths = new TreeSet<>(a.keySet());
        paths.addAll(b.keySet());
        return paths.stream().map(p -> new File(p, a.getOrDefault(p, List.of()), b.getOrDefault(p, List.of()),
                a.containsKey(p), b.containsKey(p))).toList();
    }
}
