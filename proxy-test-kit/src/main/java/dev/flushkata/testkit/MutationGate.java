package dev.flushkata.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The mutation gate: every mutant PIT made of a lesson must be killed by the lesson's tests, except those
 * listed in the equivalents file, each with the reason it cannot be killed. Fails (exit 1) on a survivor
 * not listed, and on a listed one that no longer survives (the list must stay true). A mutant is named
 * "lessonNN Class.method: PIT's description @ the mutated source line", which survives edits elsewhere in
 * the file and tells apart the same mutation on two lines of one method.
 *
 * <pre>java dev.flushkata.testkit.MutationGate target/pit-reports/mutations.xml src/main/java mutants/equivalent.txt</pre>
 * The equivalents file: one "name | why" per line, # for comments.
 */
public final class MutationGate {

    private MutationGate() {
    }

    public static void main(String[] args) throws Exception {
        Path report = Path.of(args[0]);
        Path sources = Path.of(args[1]);
        Map<String, String> equivalents = equivalents(Path.of(args[2]));
        List<String> all = new ArrayList<>();
        List<String> survivors = new ArrayList<>();
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.toFile());
        NodeList mutations = doc.getElementsByTagName("mutation");
        for (int i = 0; i < mutations.getLength(); i++) {
            Element m = (Element) mutations.item(i);
            String klass = text(m, "mutatedClass");
            String name = klass.substring(klass.lastIndexOf('.') + 1) + "." + text(m, "mutatedMethod") + ": "
                    + text(m, "description");
            String key = packageTail(klass) + " " + name + " @ " + sourceLine(sources, klass,
                    Integer.parseInt(text(m, "lineNumber")));
            all.add(key);
            String status = m.getAttribute("status");
            if (!status.equals("KILLED") && !status.equals("TIMED_OUT") && !status.equals("MEMORY_ERROR")
                    && !status.equals("RUN_ERROR")) {
                survivors.add(key + "  [" + status + ", line " + text(m, "lineNumber") + "]");
            }
        }
        String lesson = all.isEmpty() ? "?" : all.get(0).split(" ")[0];
        List<String> unexplained = survivors.stream()
                .filter(s -> !equivalents.containsKey(s.substring(0, s.indexOf("  ["))))
                .toList();
        List<String> stale = equivalents.keySet().stream().filter(k -> k.startsWith(lesson + " "))
                .filter(k -> survivors.stream().noneMatch(s -> s.startsWith(k + "  [")))
                .toList();
        int killed = all.size() - survivors.size();
        System.out.printf("[mutation] %s: %d mutants, %d killed, %d equivalent (listed), %d unexplained: score %.1f%% of"
                + " the killable%n", lesson, all.size(), killed, survivors.size() - unexplained.size(), unexplained.size(),
                100.0 * killed / Math.max(1, all.size() - (survivors.size() - unexplained.size())));
        survivors.stream().filter(s -> !unexplained.contains(s))
                .forEach(s -> System.out.println("[mutation]   equivalent: " + s + " -- "
                        + equivalents.get(s.substring(0, s.indexOf("  [")))));
        unexplained.forEach(s -> System.out.println("[mutation] SURVIVED: " + s));
        stale.forEach(s -> System.out.println("[mutation] listed as equivalent but killed or gone: " + s));
        if (!unexplained.isEmpty() || !stale.isEmpty()) {
            System.out.println("[mutation] FAILED: kill the survivors with a test, or list them in " + args[2]
                    + " with the reason no test can");
            System.exit(1);
        }
    }

    /** The mutated line of klass's source, trimmed. */
    private static String sourceLine(Path sources, String klass, int line) throws java.io.IOException {
        String top = klass.contains("$") ? klass.substring(0, klass.indexOf('$')) : klass;
        List<String> lines = Files.readAllLines(sources.resolve(top.replace('.', '/') + ".java"));
        return line >= 1 && line <= lines.size() ? lines.get(line - 1).trim() : "?";
    }

    /** "lesson02" from dev.flushkata.lesson02.X. */
    private static String packageTail(String klass) {
        String pkg = klass.substring(0, klass.lastIndexOf('.'));
        return pkg.substring(pkg.lastIndexOf('.') + 1);
    }

    private static Map<String, String> equivalents(Path file) throws Exception {
        Map<String, String> map = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int bar = line.lastIndexOf(" | ");
            if (bar < 0) {
                throw new IllegalArgumentException(file + ": no ' | reason' in: " + line);
            }
            map.put(line.substring(0, bar).trim(), line.substring(bar + 3).trim());
        }
        return map;
    }

    private static String text(Element m, String tag) {
        NodeList n = m.getElementsByTagName(tag);
        return n.getLength() == 0 ? "" : n.item(0).getTextContent().trim();
    }
}
