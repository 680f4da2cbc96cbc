package dev.flushkata.testkit;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.awaitility.pollinterval.IterativePollInterval;
import org.awaitility.pollinterval.PollInterval;

/**
 * The kata's one rule for time in tests: a pass never depends on how fast the machine is. Work that
 * normally takes milliseconds gets a deadline far above any plausible slowness; a test of a timeout
 * makes the delay many times longer than the timeout (or endless).
 */
public final class Deadlines {

    /** For fault-free work (a response, a thread ending, a count settling): it takes milliseconds. */
    public static final Duration FAULT_FREE = Duration.ofSeconds(30);

    /** Polls at 1 ms, then twice as long each time up to 100 ms: settled work is seen at once, slow work cheaply. */
    public static final PollInterval BACKOFF = IterativePollInterval.iterative(
            d -> d.multipliedBy(2).compareTo(Duration.ofMillis(100)) > 0 ? Duration.ofMillis(100) : d.multipliedBy(2),
            Duration.ofMillis(1));

    private Deadlines() {
    }

    /** call's result, or an AssertionError once deadline has passed (the call's thread is interrupted). */
    public static <T> T within(Duration deadline, Callable<T> call) throws Exception {
        FutureTask<T> task = new FutureTask<>(call);
        Thread t = new Thread(task, "deadline-" + Thread.currentThread().getName());
        t.setDaemon(true);
        t.start();
        try {
            return task.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            throw new AssertionError("no answer within " + deadline.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
    }
}
