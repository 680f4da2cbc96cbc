package dev.flushkata.jcstress;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client's response, as a MaxLatencyWriter sees it, made to tell on its callers. One per jcstress
 * sample; the arbiter reads what it recorded.
 *
 * <ul>
 *   <li>An entry counter: a write and a flush inside at the same time is an {@link #overlaps() overlap},
 *       which the writer's lock must rule out.
 *   <li>The bytes, copied one by one with a plain counter, so an unguarded flush could see a torn
 *       write; a flush notes how many it {@link #bytesSeenByLastFlush() saw}.
 *   <li>{@link #close()}: the response is finished. A flush that starts after it is a
 *       {@link #flushesAfterClose() flush after close}; a close that lands while a flush is still inside
 *       is a {@link #closesDuringFlush() close during flush}. Both are the kata's bug: the response was
 *       handed back while a flusher still touched it. Like the real response, flush and write throw
 *       once it is closed.
 * </ul>
 */
public final class RecordingDestination extends OutputStream {

    /** Pause inside a flush, as a real one takes time on the socket: widens the windows to be caught. */
    private static final int FLUSH_SPINS = 32;

    private final AtomicInteger inside = new AtomicInteger(); // writes and flushes under way
    private final AtomicInteger flushing = new AtomicInteger(); // flushes under way
    private final AtomicInteger overlaps = new AtomicInteger();
    private final AtomicInteger flushesAfterClose = new AtomicInteger();
    private final AtomicInteger closesDuringFlush = new AtomicInteger();
    private final AtomicInteger writesAfterClose = new AtomicInteger();
    private volatile boolean closed;

    private final byte[] bytes = new byte[16];
    private int count; // plain on purpose: only the writer's lock makes it safe
    private int flushes; // plain, as count
    private int bytesSeenByLastFlush = -1;

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        enter();
        try {
            if (closed) {
                writesAfterClose.incrementAndGet();
                throw new IOException("write after the response was finished");
            }
            for (int i = 0; i < len; i++) { // byte by byte: a flush in between would see part of it
                bytes[count] = b[off + i];
                count++;
            }
        } finally {
            inside.decrementAndGet();
        }
    }

    @Override
    public void flush() throws IOException {
        enter();
        flushing.incrementAndGet();
        try {
            if (closed) {
                flushesAfterClose.incrementAndGet();
                throw new IOException("flush after the response was finished");
            }
            for (int i = 0; i < FLUSH_SPINS; i++) {
                Thread.onSpinWait();
            }
            bytesSeenByLastFlush = count;
            flushes++;
        } finally {
            flushing.decrementAndGet();
            inside.decrementAndGet();
        }
    }

    /** The response is finished: what the handler does once the copy is over (after stop(), if fixed). */
    @Override
    public void close() {
        closed = true;
        if (flushing.get() > 0) {
            closesDuringFlush.incrementAndGet();
        }
    }

    private void enter() {
        if (inside.getAndIncrement() != 0) {
            overlaps.incrementAndGet();
        }
    }

    /** Times a write and a flush (or two of them) were inside at once. */
    public int overlaps() {
        return overlaps.get();
    }

    /** Flushes that started on a closed response. */
    public int flushesAfterClose() {
        return flushesAfterClose.get();
    }

    /** Closes that happened while a flush was still inside. */
    public int closesDuringFlush() {
        return closesDuringFlush.get();
    }

    /** Writes that reached a closed response (they threw). */
    public int writesAfterClose() {
        return writesAfterClose.get();
    }

    /**
     * Did a flush touch the response after it was finished? 0: no; 1: a flush started after close();
     * 2: close() landed while a flush was still inside.
     */
    public int lateFlush() {
        if (flushesAfterClose.get() > 0) {
            return 1;
        }
        return closesDuringFlush.get() > 0 ? 2 : 0;
    }

    /** Bytes recorded so far. */
    public int count() {
        return count;
    }

    /** Completed flushes (those on a closed response throw and are not counted). */
    public int flushes() {
        return flushes;
    }

    /** How many bytes the last completed flush saw; -1 if none completed. */
    public int bytesSeenByLastFlush() {
        return bytesSeenByLastFlush;
    }

    /** True if the recorded bytes are exactly {@code expected}: nothing lost, torn, or doubled. */
    public boolean holdsExactly(byte[] expected) {
        if (count != expected.length) {
            return false;
        }
        for (int i = 0; i < count; i++) {
            if (bytes[i] != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
