package dev.flushkata.lesson02;

/*
 * A WRONG FIX (BrokenInterruptStopWriter): stop() interrupts the flusher and returns without waiting.
 * The interrupt is seen only at the flusher's wait point; a flusher past it (modelled by a flag, as
 * jcstress's threads must not be interrupted) flushes on. The same actors as lesson02.StopVsFlushTest,
 * next to it: there FORBIDDEN, here ACCEPTABLE_INTERESTING so the build stays green while it shows the
 * race. Go's stop() was a send the loop had to take: it waited.
 *
 * Run just this test (from concurrency-tests/target, so its result files stay under target/):
 *   java -jar jcstress.jar -t BrokenInterruptStop -m sanity -time 100 -iters 2
 * or through the build: ./mvnw -pl concurrency-tests -am verify -Dmaven.test.skip=true -Djcstress.tests=BrokenInterruptStop
 *
 * Real output on this machine (OpenJDK 17.0.15, 2 cores: Intel Xeon, 1 thread per core), from a full run
 * with the build's settings (-m sanity -time 100 -iters 2; 28 JVM/compilation configurations, merged):
 *
 *     RESULT  SAMPLES     FREQ       EXPECT  DESCRIPTION
 *   false, 0  219,743   44.61%   Acceptable  stop() went first; the flush saw it and left the response...
 *    true, 0   15,314    3.11%   Acceptable  The flush went first and was over before the response was...
 *    true, 1   14,588    2.96%  Interesting  WRONG FIX: the flusher had passed its wait point (where t...
 *    true, 2  242,901   49.32%  Interesting  WRONG FIX: the response was closed while a flush was stil...
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
        desc = "WRONG FIX: the flusher had passed its wait point (where the interrupt would be seen) before stop(),"
                + " and flushed the response after stop() returned and it was closed.")
@Outcome(id = "true, 2", expect = ACCEPTABLE_INTERESTING,
        desc = "WRONG FIX: the response was closed while a flush was still inside it. An interrupt does not stop a"
                + " flush under way, and stop() returned without waiting for the thread.")
@Outcome(expect = FORBIDDEN, desc = "Cannot happen: a skipped flush does not touch the response.")
@State
public class BrokenInterruptStopVsFlushTest {

    private static final ProxyStats STATS = new ProxyStats("jcstress-wrong-fix").quiet();

    private final RecordingDestination dst = new RecordingDestination();
    private final BrokenInterruptStopWriter w = new BrokenInterruptStopWriter(dst, STATS);

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
