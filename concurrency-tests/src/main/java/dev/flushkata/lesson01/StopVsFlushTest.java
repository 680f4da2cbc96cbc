package dev.flushkata.lesson01;

/*
 * lesson-01, THE BUG: the handler's copy succeeded, so it just finishes the response (dst.close()):
 * lesson-01 calls stop() only when a write fails. The flusher (an actor calling flushOnce()) knows
 * nothing of it and flushes a finished response. Every sample that ends that way is the leak at work:
 * in the proxy it is "flush failed: flush after the response was finished", once per interval, forever.
 * Compare lesson02.StopVsFlushTest, where the handler calls stop() first.
 *
 * Run just this test (from concurrency-tests/target, so its result files stay under target/):
 *   java -jar jcstress.jar -t lesson01.StopVsFlushTest -m sanity -time 100 -iters 2
 * or through the build: ./mvnw -pl concurrency-tests -am verify -Dmaven.test.skip=true -Djcstress.tests=lesson01.StopVsFlushTest
 *
 * Real output on this machine (OpenJDK 17.0.15, 2 cores: Intel Xeon, 1 thread per core), from a full run
 * with the build's settings (-m sanity -time 100 -iters 2; 28 JVM/compilation configurations, merged):
 *
 *    RESULT  SAMPLES     FREQ       EXPECT  DESCRIPTION
 *   true, 0    8,822    2.08%   Acceptable  The flush happened to come before the response was finished.
 *   true, 1  122,671   28.98%  Interesting  THE BUG: lesson-01's handler never calls stop() on succes...
 *   true, 2  291,830   68.94%  Interesting  THE BUG, caught mid-flush: the response was finished whil...
 */

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.flushkata.jcstress.Flushers;
import dev.flushkata.jcstress.RecordingDestination;
import dev.flushkata.plumbing.ProxyStats;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZI_Result;

@JCStressTest
@Outcome(id = "true, 0", expect = ACCEPTABLE,
        desc = "The flush happened to come before the response was finished.")
@Outcome(id = "true, 1", expect = ACCEPTABLE_INTERESTING,
        desc = "THE BUG: lesson-01's handler never calls stop() on success, so the flusher flushes a response"
                + " that is already finished. Go 5694ebf added defer mlw.stop() for this.")
@Outcome(id = "true, 2", expect = ACCEPTABLE_INTERESTING,
        desc = "THE BUG, caught mid-flush: the response was finished while the flusher was still flushing it;"
                + " nothing told the flusher to stop.")
@Outcome(expect = FORBIDDEN, desc = "Cannot happen: nothing stops this writer, so the flush always runs.")
@State
public class StopVsFlushTest {

    private static final VarHandle FLUSHER = Flushers.flusherField(MaxLatencyWriter.class);
    private static final ProxyStats STATS = new ProxyStats("jcstress-lesson01").quiet();

    private final RecordingDestination dst = new RecordingDestination();
    private final MaxLatencyWriter w = new MaxLatencyWriter(dst, Duration.ofMillis(100), STATS);

    public StopVsFlushTest() {
        FLUSHER.set(w, Flushers.PARKED); // no real flusher thread: actor2 plays it
    }

    @Actor
    public void handler() {
        dst.close(); // lesson-01's handler: the copy succeeded, so no stop(), the response is just finished
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
