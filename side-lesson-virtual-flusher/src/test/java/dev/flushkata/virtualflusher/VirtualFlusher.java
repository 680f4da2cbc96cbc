package dev.flushkata.virtualflusher;

import dev.flushkata.plumbing.ProxyStats;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;

/** The side lesson's writer, the same way as {@link dev.flushkata.lesson01.PlatformFlusher}. */
final class VirtualFlusher {

    private VirtualFlusher() {
    }

    /** A writer whose first write has started its virtual flusher, which nothing will stop. */
    static OutputStream leakOne(Duration latency, ProxyStats stats) throws IOException {
        MaxLatencyWriter w = new MaxLatencyWriter(OutputStream.nullOutputStream(), latency, stats);
        w.write('x');
        return w;
    }
}
