package dev.flushkata.plumbing;

import java.util.Arrays;
import java.util.Collection;

/** Nearest-rank percentiles of measured latencies (the demo's first chunks, the bench's chunk delays). */
public final class Percentiles {

    private final long[] sorted;

    public Percentiles(Collection<Long> values) {
        sorted = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
    }

    public int count() {
        return sorted.length;
    }

    /** The smallest value with at least p of the values at or below it; -1 when there are none. */
    public long at(double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }
}
