package dev.flushkata.lesson04;

/*
 * A WRONG timer writer (BrokenNoPendingGuardWriter): delayedFlush flushes without checking flushPending.
 * The same actors as lesson04.DelayedFlushVsStopTest, next to it: there FORBIDDEN, here
 * ACCEPTABLE_INTERESTING, so the build stays green while it shows the race. cancel() stops a task only
 * before the timer starts it; one already started waits for mu while stop() holds it, then flushes the
 * response the handler has just closed.
 *
 * Run just this test (from concurrency-tests/target, so its result files stay under target/):
 *   java -jar jcstress.jar -t BrokenNoPendingGuard -m sanity -time 100 -iters 2 -sc false -jvmArgs -Dkata.jcstress.single-mode=true
 * or through the build: ./mvnw -pl concurrency-tests -am verify -Dmaven.test.skip=true -Djcstress.tests=BrokenNoPendingGuard
 *
 * Real output on this machine (OpenJDK 17.0.15, 2 cores: Intel Xeon, 1 thread per core), from a full run
 * with the build's settings (-m sanity -time 100 -iters 2 -sc false -jvmArgs -Dkata.jcstress.single-mode=true;
 * configurations merged), on a machine shared with other builds:
 *
 *    RESULT  SAMPLES     FREQ       EXPECT  DESCRIPTION
 *   0, 0, 0   26,454   99.49%   Acceptable  stop() went first and cancelled the task before the timer...
 *   1, 1, 0       24    0.09%   Acceptable  The delayed flush went first and was over before the resp...
 *   1, 1, 1      112    0.42%  Interesting  WRONG: the timer had started the task; it waited for mu w...
 *   1, 1, 2        0    0.00%  Interesting  WRONG: the stale flush was still inside the response when...
 */

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.flushkata.jcstress.RecordingDestination;
import dev.flushkata.plumbing.ProxyStats;
import dev.flushkata.testkit.ManualScheduler;
import java.io.IOException;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

@JCStressTest
@Outcome(id = "0, 0, 0", expect = ACCEPTABLE,
        desc = "stop() went first and cancelled the task before the timer fired it: nothing ran.")
@Outcome(id = "1, 1, 0", expect = ACCEPTABLE,
        desc = "The delayed flush went first and was over before the response was closed.")
@Outcome(id = "1, 1, 1", expect = ACCEPTABLE_INTERESTING,
        desc = "WRONG: the timer had started the task; it waited for mu while stop() ran, then flushed the closed"
                + " response. No flushPending check: the stale flush goes through.")
@Outcome(id = "1, 1, 2", expect = ACCEPTABLE_INTERESTING,
        desc = "WRONG: the stale flush was still inside the response when the handler closed it.")
@Outcome(expect = FORBIDDEN, desc = "Cannot happen: without the guard a task that ran always flushes.")
@State
public class BrokenNoPendingGuardDelayedFlushVsStopTest {

    private static final ProxyStats STATS = new ProxyStats("jcstress-wrong-timer").quiet();
    private static final byte[] DATA = {1, 2, 3, 4};

    private final RecordingDestination dst = new RecordingDestination();
    private final ManualScheduler timer = new ManualScheduler();
    private final BrokenNoPendingGuardWriter w = new BrokenNoPendingGuardWriter(dst, 100_000_000L, STATS, timer);

    public BrokenNoPendingGuardDelayedFlushVsStopTest() {
        try {
            w.write(DATA, 0, DATA.length);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Actor
    public void timer() {
        timer.task(0).fire();
    }

    @Actor
    public void handler() {
        w.stop(); // the same handler as in DelayedFlushVsStopTest: stop(), then finish the response
        dst.close();
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r1 = timer.task(0).started() ? 1 : 0;
        r.r2 = dst.flushes() + dst.flushesAfterClose();
        r.r3 = dst.lateFlush();
    }
}
