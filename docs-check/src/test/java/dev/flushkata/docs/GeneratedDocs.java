package dev.flushkata.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** A folder of generated docs: the build fails when it differs from the sources; -Dkata.updateDiffs=true rewrites it. */
final class GeneratedDocs {

    static final Path ROOT = Path.of(System.getProperty("kata.root", "..")).toAbsolutePath().normalize();

    private GeneratedDocs() {
    }

    /** Checks (or, with -Dkata.updateDiffs=true, writes) dir to hold exactly the expected files. */
    static void checkOrUpdate(Path dir, Map<String, String> expected) throws IOException {
        boolean update = Boolean.getBoolean("kata.updateDiffs");
        if (update) {
            Files.createDirectories(dir);
            for (Path stale : files(dir)) {
                if (!expected.containsKey(stale.getFileName().toString())) {
                    Files.delete(stale);
                }
            }
            for (Map.Entry<String, String> e : expected.entrySet()) {
                Files.writeString(dir.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
            }
        }
        for (Map.Entry<String, String> e : expected.entrySet()) {
            Path file = dir.resolve(e.getKey());
            assertThat(file).as("%s is missing: run %s", ROOT.relativize(file), LessonDiffs.REGENERATE).exists();
            assertThat(Files.readString(file, StandardCharsets.UTF_8))
                    .as("%s is out of date: run %s", ROOT.relativize(file), LessonDiffs.REGENERATE)
                    .isEqualTo(e.getValue());
        }
        assertThat(files(dir).stream().map(f -> f.getFileName().toString()))
                .as("%s holds files no lesson pair generates: run %s", ROOT.relativize(dir), LessonDiffs.REGENERATE)
                .allMatch(expected::containsKey);
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
