package dev.flushkata.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A lesson's story as its README opens: the title, then the lesson's commit message in a fenced block
 * (or, without one, the first paragraph), so the pages tell what the README tells.
 */
public record LessonStory(String title, String subject, List<String> body, boolean hasReadme) {

    /** The story of the lesson module; a module without README.md gets its name and nothing else. */
    public static LessonStory of(Path module) {
        Path readme = module.resolve("README.md");
        String name = module.getFileName().toString();
        if (!Files.isRegularFile(readme)) {
            return new LessonStory(name, "", List.of(), false);
        }
        try {
            return parse(name, Files.readAllLines(readme, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static LessonStory parse(String name, List<String> readme) {
        String title = name;
        int i = 0;
        while (i < readme.size() && readme.get(i).isBlank()) {
            i++;
        }
        if (i < readme.size() && readme.get(i).startsWith("# ")) {
            title = readme.get(i).substring(2).strip();
            i++;
        }
        while (i < readme.size() && readme.get(i).isBlank()) {
            i++;
        }
        List<String> message = new ArrayList<>();
        boolean fenced = i < readme.size() && readme.get(i).startsWith("```");
        for (int j = fenced ? i + 1 : i; j < readme.size(); j++) {
            String line = readme.get(j);
            if (fenced ? line.startsWith("```") : line.isBlank()) {
                break;
            }
            message.add(line.strip());
        }
        if (!fenced || message.isEmpty()) {
            return new LessonStory(title, "", paragraphs(message), true);
        }
        return new LessonStory(title, message.get(0), paragraphs(message.subList(1, message.size())), true);
    }

    /** One line for an index: the commit subject, else the first paragraph. */
    public String summary() {
        return !subject.isEmpty() || body.isEmpty() ? subject : body.get(0);
    }

    /** Hard-wrapped lines joined into paragraphs, which reflow in a column of any width. */
    private static List<String> paragraphs(List<String> lines) {
        List<String> paragraphs = new ArrayList<>();
        StringBuilder p = new StringBuilder();
        for (String line : lines) {
            if (line.isEmpty()) {
                if (p.length() > 0) {
                    paragraphs.add(p.toString());
                }
                p.setLength(0);
            } else {
                p.append(p.length() > 0 ? " " : "").append(line);
            }
        }
        if (p.length() > 0) {
            paragraphs.add(p.toString());
        }
        return paragraphs;
    }
}
