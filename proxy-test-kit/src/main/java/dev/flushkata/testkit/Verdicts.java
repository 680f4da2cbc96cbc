package dev.flushkata.testkit;

import static org.awaitility.Awaitility.await;

import dev.flushkata.plumbing.ProxyStats;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.IntSupplier;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * The regression suite's judgements, each failing with one sentence that names the broken promise, so a
 * red reads as a verdict before any stack. Waits poll from 1 ms up (a fixed lesson settles at once) and
 * give up only after {@link Deadlines#FAULT_FREE}.
 */
public final class Verdicts {

    private Verdicts() {
    }

    /**
     * Polls until the flusher threads are back to before. Fails at once, without waiting out the deadline,
     * when a flush reaches a finished response: that is the leak caught in the act.
     */
    public static void awaitFlushersEnded(int before, ProxyStats stats, String after) {
        awaitFlushWorkEnded(Flushers::count, "flusher thread(s) still alive", before, stats, after);
    }

    /**
     * The same for any design's flush work: live counts it (flusher threads, or a timer's delayed flushes
     * armed and not done), alive says what it is in the failure ("delayed flush(es) still armed").
     */
    public static void awaitFlushWorkEnded(IntSupplier live, String alive, int before, ProxyStats stats, String after) {
        Stuck.Watch deadlock = new Stuck.Watch();
        try {
            await().pollDelay(Duration.ZERO).pollInterval(Deadlines.BACKOFF)
                    .atMost(Deadlines.FAULT_FREE)
                    .failFast(() -> stats.flushesAfterClose() > 0 || deadlock.deadlocked())
                    .until(() -> live.getAsInt() <= before);
        } catch (TerminalFailureException e) {
            if (stats.flushesAfterClose() == 0) {
                throw deadlock.report("waiting for the flushers to end after " + after);
            }
            throw new AssertionError("a flush reached a finished response (" + stats.flushesAfterClose()
                    + " so far) after " + after + ": its flusher outlived the response, and nothing stopped it");
        } catch (ConditionTimeoutException e) {
            int left = live.getAsInt() - before;
            if (left > 0) {
                throw new AssertionError(left + " " + alive + " " + Deadlines.FAULT_FREE.toSeconds()
                        + " s after " + after + ": nothing stopped them");
            }
        }
    }

    /** No flush and no write reached a response after it was finished. */
    public static void assertNoLateFlushes(ProxyStats stats) {
        if (stats.flushesAfterClose() > 0) {
            throw new AssertionError("a flush reached a finished response " + stats.flushesAfterClose()
                    + " time(s): a flusher outlived its response");
        }
        if (stats.writesAfterClose() > 0) {
            throw new AssertionError("a write reached a finished response " + stats.writesAfterClose() + " time(s)");
        }
    }

    /** Polls condition until it holds, for what a working proxy does in milliseconds. */
    public static void awaitQuietly(String what, Callable<Boolean> condition) {
        Stuck.Watch deadlock = new Stuck.Watch(); // a deadlocked handler would make this wait its whole deadline
        try {
            await(what).pollDelay(Duration.ZERO).pollInterval(Deadlines.BACKOFF)
                    .atMost(Deadlines.FAULT_FREE).failFast(deadlock::deadlocked).until(condition);
        } catch (TerminalFailureException e) {
            throw deadlock.report("waiting for " + what);
        }
    }
}
