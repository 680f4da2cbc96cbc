package dev.flushkata.plumbing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void readsGoStyleDurations() {
        assertThat(Durations.parse("100ms")).isEqualTo(Duration.ofMillis(100));
        assertThat(Durations.parse("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(Durations.parse("250us")).isEqualTo(Duration.ofNanos(250_000));
        assertThat(Durations.parse("1m")).isEqualTo(Duration.ofMinutes(1));
        assertThat(Durations.parse("0")).isZero();
        assertThat(Durations.parse("-1ms")).isEqualTo(Duration.ofMillis(-1));
    }

    @Test
    void refusesWhatItCannotRead() {
        assertThatThrownBy(() -> Durations.parse("100")).hasMessageContaining("needs a unit");
        assertThatThrownBy(() -> Durations.parse("fast")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> Durations.parse("1.5s")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> Durations.parse("999999999999m")).hasMessageContaining("longer than a day");
    }

    @Test
    void formatsInTheLargestExactUnit() {
        assertThat(Durations.format(Duration.ofMillis(100))).isEqualTo("100ms");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(Durations.format(Duration.ofNanos(1000))).isEqualTo("1us");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0");
    }
}
