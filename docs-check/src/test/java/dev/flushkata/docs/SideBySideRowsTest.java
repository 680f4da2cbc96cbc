package dev.flushkata.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flushkata.docs.SideBySideRows.Kind;
import dev.flushkata.docs.SideBySideRows.Row;
import dev.flushkata.docs.SideBySideRows.Span;
import java.util.List;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;

class SideBySideRowsTest {

    @Test
    void aLineChangedInPlaceMarksTheChangedWordsOnly() {
        List<Row> rows = SideBySideRows.of(List.of("a", "int x = count(1);", "z"), List.of("a", "int x = total(1, 2);", "z"));

        assertThat(rows).extracting(Row::kind).containsExactly(Kind.SAME, Kind.CHANGED, Kind.SAME);
        assertThat(rows.get(1).left().spans())
                .containsExactly(new Span("int x = ", false), new Span("count", true), new Span("(1);", false));
        assertThat(rows.get(1).right().spans()).containsExactly(new Span("int x = ", false), new Span("total", true),
                new Span("(1", false), new Span(", 2", true), new Span(");", false));
    }

    @Test
    void aReindentedLineFacesItsOldSelf() {
        List<Row> rows = SideBySideRows.of(List.of("a", "  run();", "b"), List.of("a", "try {", "    run();", "}", "b"));

        assertThat(rows).extracting(Row::kind)
                .containsExactly(Kind.SAME, Kind.ADDED, Kind.CHANGED, Kind.ADDED, Kind.SAME);
        assertThat(rows.get(2).left().number()).isEqualTo(2);
        assertThat(rows.get(2).right().number()).isEqualTo(3);
        assertThat(rows.get(2).right().spans())
                .containsExactly(new Span("  ", false), new Span("  ", true), new Span("run();", false));
    }

    @Test
    void linesOnlyOneSideHasLeaveTheOtherSideEmpty() {
        List<Row> rows = SideBySideRows.of(List.of("keep", "gone"), List.of("new", "keep"));

        assertThat(rows).extracting(Row::kind).containsExactly(Kind.ADDED, Kind.SAME, Kind.REMOVED);
        assertThat(rows.get(0).left()).isNull();
        assertThat(rows.get(0).right().number()).isEqualTo(1);
        assertThat(rows.get(2).right()).isNull();
        assertThat(rows.get(2).left().number()).isEqualTo(2);
    }

    @Test
    void emptyLinesInsideAChangeKeepTheirRows() {
        List<String> before = List.of("x", "", "y", "");
        List<String> after = List.of("p", "", "q", "r");

        List<Row> rows = SideBySideRows.of(before, after);

        assertThat(rows.stream().filter(r -> r.left() != null).map(r -> r.left().text())).containsExactlyElementsOf(before);
        assertThat(rows.stream().filter(r -> r.right() != null).map(r -> r.right().text())).containsExactlyElementsOf(after);
    }

    @Test
    void markupInTheSourcesIsEscapedAndReadsBackTheSame() {
        String before = "List<String> s = a && b ? \"<p>\" : '&amp;';";
        String after = "List<Integer> s = a && c ? \"<p>\" : '&amp;';";
        LessonPair.File f = new LessonPair.File("x", List.of(before), List.of(after), true, true);
        String html = Html.page("t", "<div>" + Html.escape(before) + "</div>");

        assertThat(Jsoup.parse(html).selectFirst("div").wholeText()).isEqualTo(before);
        assertThat(SideBySideRows.of(f.before(), f.after()).get(0).right().text()).isEqualTo(after);
    }

    @Test
    void refusesTheCharactersItUsesAsMarkers() {
        assertThatThrownBy(() -> SideBySideRows.of(List.of("a\uE000"), List.of("b")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
