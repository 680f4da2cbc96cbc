package dev.flushkata.testkit;

import dev.flushkata.plumbing.ProxyStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.OutputStream;
import java.time.Duration;

/**
 * One response's life with a real flusher thread, as the fixed handler lives it: the copy writes, the
 * flusher flushes every microsecond (as in Go's test), then stop(), then the response is finished. The
 * promise of Go's stop(): once it returns, no flush reaches the response, and (here) its thread has ended.
 * The jcstress tests named StopKeepsItsPromiseRace run this millions of times per lesson.
 */
public final class StopPromiseRace {

    static final Duration LATENCY = Duration.ofNanos(1_000);
    private static final byte[] CHUNK = "hi".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final ProxyStats STATS = new ProxyStats("race").quiet();

    private final WriterUnderTest writer;
    private final RaceDestination dst = new RaceDestination();
    private boolean aliveAfterStop;

    public StopPromiseRace(WriterUnderTest writer) {
        this.writer = writer;
    }

    /** The handler's part: write (the flusher starts), let it flush, stop(), finish the response. */
    public void handler() {
        OutputStream w = writer.create(dst, LATENCY, STATS);
        try {
            w.write(CHUNK);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        dst.awaitFirstFlush();
        writer.stop(w);
        aliveAfterStop = dst.flusherAlive();
        dst.finish();
    }

    /** 1 if a flush reached the response after stop() returned (or was still under way), else 0. */
    public int lateFlush() {
        return dst.lateFlushes() > 0 ? 1 : 0;
    }

    /** 1 if stop() returned while the thread that flushed was still alive, else 0. */
    public int flusherAliveAfterStop() {
        return aliveAfterStop ? 1 : 0;
    }
}
