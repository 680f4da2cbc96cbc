package dev.flushkata.lesson01;

import dev.flushkata.plumbing.ProxyStats;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;

/** Lesson-01's writer, reached from the side lesson's tests (it is package-private there). */
public final class PlatformFlusher {

    private PlatformFlusher() {
    }

    /** A writer whose first write has started its platform flusher, which nothing will stop. */
    public static OutputStream leakOne(Duration latency, ProxyStats stats) throws IOException {
        MaxLatencyWriter w = new MaxLatencyWriter(OutputStream.nullOutputStream(), latency, stats);
        w.write('x');
        return w;
    }
}
