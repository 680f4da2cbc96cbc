package dev.flushkata.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkDelayTest {

    @Test
    void eachChunkIsLateByItsArrivalMinusItsSchedule() {
        // 3 chunks of 16 bytes due at 0, 300 and 600 ms; they arrive at 2, 301 and 640 ms
        List<long[]> samples = List.of(new long[] {2, 16}, new long[] {301, 32}, new long[] {640, 48});

        assertThat(ChunkDelay.extraNanos(samples, 3, 16, 300)).containsExactly(2, 1, 40);
    }

    @Test
    void chunksHeldBackAndSentTogetherAllArriveWithTheLastOne() {
        // a proxy that never flushes: everything at 1210 ms, in two reads
        List<long[]> samples = List.of(new long[] {1205, 40}, new long[] {1210, 80});

        assertThat(ChunkDelay.extraNanos(samples, 5, 16, 300)).containsExactly(1205, 905, 610, 310, 10);
    }

    @Test
    void aChunkArrivesWithItsLastByteNotItsFirst() {
        List<long[]> samples = List.of(new long[] {5, 8}, new long[] {9, 16});

        assertThat(ChunkDelay.extraNanos(samples, 1, 16, 300)).containsExactly(9);
    }

    @Test
    void aShortBodyIsAFailureNotAFigure() {
        assertThatThrownBy(() -> ChunkDelay.extraNanos(List.of(new long[] {1, 16}), 2, 16, 300))
                .hasMessageContaining("before chunk 2 of 2");
    }

    @Test
    void theBackendPathsDifferOnlyInTheLength() {
        assertThat(ChunkDelay.path(StreamKind.CHUNKED)).isEqualTo("/stream?chunks=5&size=16&delayMs=300");
        assertThat(ChunkDelay.path(StreamKind.LENGTH)).isEqualTo("/stream?chunks=5&size=16&delayMs=300&length=true");
        assertThat(ChunkDelay.path(StreamKind.EVENTS))
                .isEqualTo("/stream?chunks=5&size=16&delayMs=300&type=text/event-stream");
    }
}
