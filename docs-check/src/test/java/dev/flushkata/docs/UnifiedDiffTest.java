package dev.flushkata.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class UnifiedDiffTest {

    @Test
    void printsHunksWithThreeLinesOfContext() {
        List<String> a = List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
        List<String> b = List.of("1", "2", "3", "4", "five", "6", "7", "8", "9", "10", "11");

        assertThat(UnifiedDiff.of("a/x", a, "b/x", b)).isEqualTo("""
                --- a/x
                +++ b/x
                @@ -2,9 +2,10 @@
                 2
                 3
                 4
                -5
                +five
                 6
                 7
                 8
                 9
                 10
                +11
                """);
    }

    @Test
    void changesFurtherApartThanTwiceTheContextMakeTwoHunks() {
        List<String> a = List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12");
        List<String> b = List.of("one", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "twelve");

        assertThat(UnifiedDiff.of("a/x", a, "b/x", b)).isEqualTo("""
                --- a/x
                +++ b/x
                @@ -1,4 +1,4 @@
                -1
                +one
                 2
                 3
                 4
                @@ -9,4 +9,4 @@
                 9
                 10
                 11
                -12
                +twelve
                """);
    }

    @Test
    void equalFilesGiveNothingAndNewFilesStartAtZero() {
        assertThat(UnifiedDiff.of("a", List.of("x"), "b", List.of("x"))).isEmpty();
        assertThat(UnifiedDiff.of("/dev/null", List.of(), "b/y", List.of("p", "q"))).isEqualTo("""
                --- /dev/null
                +++ b/y
                @@ -0,0 +1,2 @@
                +p
                +q
                """);
    }
}
