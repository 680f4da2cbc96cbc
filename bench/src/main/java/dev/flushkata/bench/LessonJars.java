package dev.flushkata.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The lessons' executable jars in a checkout: LESSON/target/LESSON.jar, as the lessons' build makes them. */
final class LessonJars {

    /** A lesson named that has no jar under the root: the bench reports it as bad usage. */
    static final class NoJar extends RuntimeException {
        NoJar(String message) {
            super(message);
        }
    }

    private LessonJars() {
    }

    /** The jars of the lessons named (by name or prefix), in the order named. */
    static List<Path> find(Path root, List<String> wanted) throws IOException {
        List<Path> all;
        try (Stream<Path> dirs = Files.list(root)) {
            all = dirs.filter(d -> d.getFileName().toString().startsWith("lesson-"))
                    .map(d -> d.resolve("target").resolve(d.getFileName() + ".jar"))
                    .filter(Files::isRegularFile).sorted().toList();
        }
        List<Path> chosen = new ArrayList<>();
        for (String w : wanted) {
            List<Path> match = all.stream().filter(j -> lesson(j).startsWith(w)).toList();
            if (match.isEmpty()) {
                throw new NoJar("--lessons: no jar for '" + w + "' under " + root.toAbsolutePath()
                        + " (found " + all.stream().map(LessonJars::lesson).toList()
                        + "; ./mvnw -q -Pbench -pl bench -am package builds them)");
            }
            match.stream().filter(j -> !chosen.contains(j)).forEach(chosen::add);
        }
        return chosen;
    }

    /** The lesson a jar runs: its file name without .jar. */
    static String lesson(Path jar) {
        String name = jar.getFileName().toString();
        return name.substring(0, name.length() - ".jar".length());
    }
}
