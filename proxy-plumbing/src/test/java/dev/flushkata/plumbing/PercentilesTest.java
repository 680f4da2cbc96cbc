package dev.flushkata.plumbing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void nearestRank() {
        Percentiles p = new Percentiles(LongStream.rangeClosed(1, 100).boxed().toList());

        assertThat(p.at(0.50)).isEqualTo(50);
        assertThat(p.at(0.99)).isEqualTo(99);
        assertThat(p.at(1.0)).isEqualTo(100);
        assertThat(p.count()).isEqualTo(100);
    }

    @Test
    void smallAndEmptySamples() {
        assertThat(new Percentiles(List.of(7L)).at(0.99)).isEqualTo(7);
        assertThat(new Percentiles(List.of(3L, 1L, 2L)).at(0.5)).isEqualTo(2);
        assertThat(new Percentiles(List.of()).at(0.5)).isEqualTo(-1);
    }
}
