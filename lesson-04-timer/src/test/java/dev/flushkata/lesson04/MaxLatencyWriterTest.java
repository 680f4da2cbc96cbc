package dev.flushkata.lesson04;

import dev.flushkata.plumbing.ProxyStats;
import dev.flushkata.testkit.WriterContract;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;

/** stop()'s promises, on the writer alone. */
class MaxLatencyWriterTest extends WriterContract {

    @Override
    protected Writer writer(OutputStream dst, Duration latency, ProxyStats stats) {
        MaxLatencyWriter w = new MaxLatencyWriter(dst, latency, stats, () -> { });
        return new Writer() {
            @Override
            public void write(byte[] b) throws IOException {
                w.write(b, 0, b.length);
            }

            @Override
            public void writeByte(int b) throws IOException {
                w.write(b);
            }

            @Override
            public void stop() {
                w.stop();
            }

            @Override
            public boolean flushOnce() {
                return w.flushOnce();
            }
        };
    }
}
