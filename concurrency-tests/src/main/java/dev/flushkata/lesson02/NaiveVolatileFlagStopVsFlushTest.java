package dev.flushkata.lesson02;

/*
 * A WRONG FIX (NaiveVolatileFlagWriter): stop() only raises a volatile flag, which the flusher checks
 * outside lk before it locks and flushes. The same actors as lesson02.StopVsFlushTest, next to it:
 * there FORBIDDEN, here ACCEPTABLE_INTERESTING so the build stays green while it shows the race. The
 * flag is visible at once; what is missing is that stop() neither waits for a flush under way nor
 * stops one that read the flag a moment before.
 *
 * Run just this test (from concurrency-tests/target, so its result files stay under target/):
 *   java -jar jcstress.jar -t NaiveVolatileFlag -m sanity -time 100 -iters 2
 * or through the build: ./mvnw -pl concurrency-tests -am verify -Dmaven.test.skip=true -Djcstress.tests=NaiveVolatileFlag
 *
 * Real output on this machine (OpenJDK 17.0.15, 2 cores: Intel Xeon, 1 thread per core), from a full run
 * with the build's settings (-m sanity -time 100 -iters 2; 28 JVM/compilation configurations, merged):
 *
 *     RESULT  SAMPLES     FREQ       EXPECT  DESCRIPTION
 *   false, 0  162,336   42.96%   Acceptable  stop() went first; the flush saw it and left the response...
 *    true, 0   13,336    3.53%   Acceptable  The flush went first and was over before the response was...
 *    true, 1   13,797    3.65%  Interesting  WRONG FIX: the flusher read the flag before stop() raised...
 *    true, 2  188,400   49.86%  Interesting  WRONG FIX: the response was closed while a flush was stil...
 */

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.flushkata.jcstress.RecordingDestination;
import dev.flushkata.plumbing.ProxyStats;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZI_Result;

@JCStressTest
@Outcome(id = "true, 0", expect = ACCEPTABLE,
        desc = "The flush went first and was over before the response was closed.")
@Outcome(id = "false, 0", expect = ACCEPTABLE,
        desc = "stop() went first; the flush saw it and left the response alone.")
@Outcome(id = "true, 1", expect = ACCEPTABLE_INTERESTING,
        desc = "WRONG FIX: the flusher read the flag before stop() raised it, then took lk after the response was"
                + " closed and flushed it. The flag is checked outside the lock: check-then-act.")
@Outcome(id = "true, 2", expect = ACCEPTABLE_INTERESTING,
        desc = "WRONG FIX: the response was closed while a flush was still inside it. stop() only raised a flag;"
                + " unlike lesson-02's, it neither takes lk nor waits for the flush under way.")
@Outcome(expect = FORBIDDEN, desc = "Cannot happen: a skipped flush does not touch the response.")
@State
public class NaiveVolatileFlagStopVsFlushTest {

    private static final ProxyStats STATS = new ProxyStats("jcstress-wrong-fix").quiet();

    private final RecordingDestination dst = new RecordingDestination();
    private final NaiveVolatileFlagWriter w = new NaiveVolatileFlagWriter(dst, STATS);

    @Actor
    public void handler() {
        w.stop(); // the same handler as in StopVsFlushTest: stop(), then finish the response
        dst.close();
    }

    @Actor
    public void flusher(ZI_Result r) {
        r.r1 = w.flushOnce();
    }

    @Arbiter
    public void arbiter(ZI_Result r) {
        r.r2 = dst.lateFlush();
    }
}
