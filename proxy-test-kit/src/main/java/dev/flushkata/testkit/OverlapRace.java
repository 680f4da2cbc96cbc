package dev.flushkata.testkit;

import dev.flushkata.plumbing.ProxyStats;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * concurrency-tests' WriteVsFlushTest for any design: the handler writes (a write takes a while, as on a
 * socket) while the writer's own flusher flushes every microsecond, then stops it. A write and a flush
 * inside the response at once is what the writer's lock is there to rule out. The jcstress tests named
 * WritesAndFlushesDoNotOverlapRace run this sample after sample.
 */
public final class OverlapRace {

    private static final ProxyStats STATS = new ProxyStats("overlap-race").quiet();
    private static final byte[] CHUNK = "hi".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int WRITES = 8;
    private static final long INSIDE_NANOS = 5_000; // a write or a flush takes this long in the response

    private final WriterUnderTest writer;
    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicInteger overlaps = new AtomicInteger();

    public OverlapRace(WriterUnderTest writer) {
        this.writer = writer;
    }

    /** The handler's part: a few writes, with the flusher running beside them, then stop(). */
    public void handler() {
        OutputStream w = writer.create(new Response(), Duration.ofNanos(1_000), STATS);
        try {
            for (int i = 0; i < WRITES; i++) {
                w.write(CHUNK);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.stop(w);
        }
    }

    /** 1 if a write and a flush were inside the response at once, else 0. */
    public int overlapped() {
        return overlaps.get() > 0 ? 1 : 0;
    }

    private final class Response extends OutputStream {
        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            inside(INSIDE_NANOS);
        }

        @Override
        public void flush() {
            inside(INSIDE_NANOS / 5);
        }

        private void inside(long nanos) {
            if (inside.getAndIncrement() != 0) {
                overlaps.incrementAndGet();
            }
            RaceDestination.spin(nanos);
            inside.decrementAndGet();
        }
    }
}
