package dev.flushkata.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.Chunk;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.Test;

/** docs/side-by-side must match the lessons, mark exactly the lines that changed, and link only to real files. */
class SideBySideTest {

    static final Path DIR = GeneratedDocs.ROOT.resolve(SideBySide.DIR);
    static final Map<String, String> PAGES = SideBySide.pages(GeneratedDocs.ROOT);

    @Test
    void theIndexAndEveryPairsPageAreUpToDate() throws Exception {
        assertThat(PAGES).containsKey("index.html").hasSize(LessonPair.adjacent(GeneratedDocs.ROOT).size() + 1);
        GeneratedDocs.checkOrUpdate(DIR, PAGES);
    }

    @Test
    void everyChangedLineIsMarkedAndNothingElse() {
        for (LessonPair pair : LessonPair.adjacent(GeneratedDocs.ROOT)) {
            Document page = Jsoup.parse(PAGES.get(SideBySidePage.fileName(pair)));
            for (LessonPair.File f : pair.files()) {
                Elements section = page.select("section.file[data-path=" + f.path() + "]");
                assertThat(section).as("%s: a section for %s", pair.name(), f.path()).hasSize(1);
                List<AbstractDelta<String>> deltas = DiffUtils.diff(f.before(), f.after()).getDeltas();
                String what = pair.name() + ": " + f.path();
                checkSide(section.select(".side.old:not(.none)"), f.before(), changedLines(deltas, AbstractDelta::getSource), what);
                checkSide(section.select(".side.new:not(.none)"), f.after(), changedLines(deltas, AbstractDelta::getTarget), what);
                assertThat(section.select("del")).as(what).allMatch(d -> d.closest(".side.old.changed") != null);
                assertThat(section.select("ins")).as(what).allMatch(d -> d.closest(".side.new.changed") != null);
            }
        }
    }

    /** The side shows every line once, in order, with the right text, marked exactly when changed. */
    private static void checkSide(Elements sides, List<String> lines, Set<Integer> changed, String what) {
        assertThat(sides.eachAttr("data-line")).as(what)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, lines.size()).mapToObj(String::valueOf).toList());
        assertThat(sides.stream().map(s -> s.selectFirst("code").wholeText()).toList()).as(what).isEqualTo(lines);
        Set<Integer> marked = new TreeSet<>();
        sides.stream().filter(s -> s.hasClass("changed")).forEach(s -> marked.add(Integer.parseInt(s.attr("data-line"))));
        assertThat(marked).as("%s: lines marked changed", what).isEqualTo(changed);
        assertThat(sides.stream().filter(s -> s.hasClass("changed")).map(s -> s.selectFirst(".mark").text()))
                .as(what).allMatch(m -> m.equals("-") || m.equals("+"));
    }

    /** Line numbers, from 1, of one side's lines in the deltas: what an independent diff says changed. */
    private static Set<Integer> changedLines(List<AbstractDelta<String>> deltas, Function<AbstractDelta<String>, Chunk<String>> side) {
        Set<Integer> lines = new TreeSet<>();
        for (AbstractDelta<String> d : deltas) {
            Chunk<String> c = side.apply(d);
            IntStream.range(0, c.size()).forEach(i -> lines.add(c.getPosition() + i + 1));
        }
        return lines;
    }

    @Test
    void everyLinkResolvesToAFileInTheRepository() {
        PAGES.forEach((name, html) -> {
            Document page = Jsoup.parse(html);
            assertThat(page.select("a[href]")).as(name).isNotEmpty();
            for (Element a : page.select("a[href]")) {
                URI href = URI.create(a.attr("href"));
                assertThat(href.getScheme()).as("%s: %s stays in the repository", name, href).isNull();
                Path target = href.getPath().isEmpty() ? DIR.resolve(name) : DIR.resolve(href.getPath()).normalize();
                assertThat(target).as("%s: %s", name, href).startsWith(GeneratedDocs.ROOT);
                assertThat(Files.isRegularFile(target) || PAGES.containsKey(target.getFileName().toString()))
                        .as("%s: %s resolves to %s", name, href, target).isTrue();
                if (href.getFragment() != null) {
                    assertThat(Jsoup.parse(PAGES.get(target.getFileName().toString())).getElementById(href.getFragment()))
                            .as("%s: %s", name, href).isNotNull();
                }
            }
        });
    }

    @Test
    void pagesNeedNoScriptAndNoNetwork() {
        PAGES.forEach((name, html) -> {
            Document page = Jsoup.parse(html);
            assertThat(page.select("script, link, iframe, img, object")).as(name).isEmpty();
            assertThat(page.select("[onclick], [onload]")).as(name).isEmpty();
            assertThat(page.select("style").html()).as(name).doesNotContain("url(", "@import");
        });
    }

    @Test
    void theIndexLinksEveryPairItsDiffAndBothReadmes() {
        Document index = Jsoup.parse(PAGES.get("index.html"));
        for (LessonPair pair : LessonPair.adjacent(GeneratedDocs.ROOT)) {
            assertThat(index.select("a[href]").eachAttr("href")).contains(SideBySidePage.fileName(pair),
                    "../diffs/" + LessonDiffs.fileName(pair), "../../" + pair.fromName() + "/README.md",
                    "../../" + pair.toName() + "/README.md");
        }
    }
}
