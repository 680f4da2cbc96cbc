package dev.flushkata.testkit;

import dev.flushkata.plumbing.ProxyStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.OutputStream;
import java.time.Duration;

/**
 * One response's life with a real flusher, as the fixed handler lives it: the copy writes, the flusher
 * flushes every microsecond (as in Go's test), then stop(), then the response is finished. Go's promise,
 * which any design must keep: once stop() returns, no flush reaches the response. The lessons' own design
 * (a thread per writer, joined) promises more, that its thread has ended: checked only when asked, since a
 * participant's design may flush from a shared timer thread that rightly lives on. The jcstress tests named
 * StopKeepsItsPromiseRace run this sample after sample, per lesson.
 */
public final class StopPromiseRace {

    static final Duration LATENCY = Duration.ofNanos(1_000);
    private static final byte[] CHUNK = "hi".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final ProxyStats STATS = new ProxyStats("race").quiet();

    private final WriterUnderTest writer;
    private final boolean threadPerWriter;
    private final RaceDestination dst = new RaceDestination();
    private final long firstFlushWaitNanos;
    private boolean aliveAfterStop;
    private boolean flushedBeforeStop;

    /** threadPerWriter: the design gives each writer its own flusher thread, which stop() must have ended. */
    public StopPromiseRace(WriterUnderTest writer, boolean threadPerWriter) {
        this(writer, threadPerWriter, Duration.ofMillis(50));
    }

    /**
     * As above; firstFlushWait: how long the handler waits for the first flush before it goes on. A test that
     * requires a flush before stop() (flushedBeforeStop()) waits long enough for any busy machine.
     */
    public StopPromiseRace(WriterUnderTest writer, boolean threadPerWriter, Duration firstFlushWait) {
        this.writer = writer;
        this.threadPerWriter = threadPerWriter;
        this.firstFlushWaitNanos = firstFlushWait.toNanos();
    }

    /** The handler's part: write (the flusher starts), let it flush, stop(), finish the response. */
    public void handler() {
        OutputStream w = writer.create(dst, LATENCY, STATS);
        try {
            w.write(CHUNK);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        dst.awaitFirstFlush(firstFlushWaitNanos);
        flushedBeforeStop = dst.flushes() > 0;
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        if (random.nextBoolean()) {
            // stop() while a flush is under way: a stop() that does not wait for it returns too early, and
            // this catches it whatever the machine's load does to the timing of the other half.
            dst.awaitFlushUnderWay();
        } else {
            // stop() at a random point of the flusher's cycle: in its wait, or in the middle of a flush.
            RaceDestination.spin(random.nextLong(3 * RaceDestination.FLUSH_NANOS));
        }
        writer.stop(w);
        aliveAfterStop = threadPerWriter && dst.flusherAlive();
        dst.finish();
    }

    /** 1 if a flush reached the response after stop() returned (or was still under way), else 0. */
    public int lateFlush() {
        return dst.lateFlushes() > 0 ? 1 : 0;
    }

    /** 1 if the writer flushed before stop() was called: a sample without a flush raced nothing. */
    public int flushedBeforeStop() {
        return flushedBeforeStop ? 1 : 0;
    }

    /** 1 if stop() returned while the thread that flushed was still alive, else 0. */
    public int flusherAliveAfterStop() {
        return aliveAfterStop ? 1 : 0;
    }
}
