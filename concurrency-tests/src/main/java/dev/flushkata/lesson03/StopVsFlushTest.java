package dev.flushkata.lesson03;

/*
 * lesson-03: the same race as lesson02.StopVsFlushTest on the refactored writer: the handler calls
 * stop() and only then finishes the response, racing one flush step. No flush may touch the closed
 * response: FORBIDDEN.
 *
 * Run just this test (from concurrency-tests/target, so its result files stay under target/):
 *   java -jar jcstress.jar -t lesson03.StopVsFlushTest -m sanity -time 100 -iters 2
 * or through the build: ./mvnw -pl concurrency-tests -am verify -Dmaven.test.skip=true -Djcstress.tests=lesson03.StopVsFlushTest
 *
 * Real output on this machine (OpenJDK 17.0.15, 2 cores: Intel Xeon, 1 thread per core), from a full run
 * with the build's settings (-m sanity -time 100 -iters 2; 28 JVM/compilation configurations, merged):
 *
 *     RESULT  SAMPLES     FREQ      EXPECT  DESCRIPTION
 *   false, 0   11,075    6.12%  Acceptable  stop() went first; the flush found the writer stopped and...
 *    true, 0  169,828   93.88%  Acceptable  The flush went first; stop() waited for it (it takes lk),...
 *    true, 1        0    0.00%   Forbidden  A flush started on the closed response after stop() had r...
 *    true, 2        0    0.00%   Forbidden  The response was closed while a flush was still inside it...
 */

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
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
        desc = "The flush went first; stop() waited for it (it takes lk), then the response was closed.")
@Outcome(id = "false, 0", expect = ACCEPTABLE,
        desc = "stop() went first; the flush found the writer stopped and left the response alone.")
@Outcome(id = "true, 1", expect = FORBIDDEN,
        desc = "A flush started on the closed response after stop() had returned: the leak's symptom is back.")
@Outcome(id = "true, 2", expect = FORBIDDEN,
        desc = "The response was closed while a flush was still inside it: stop() returned too early.")
@Outcome(expect = FORBIDDEN, desc = "Cannot happen: a skipped flush does not touch the response.")
@State
public class StopVsFlushTest {

    private static final VarHandle FLUSHER = Flushers.flusherField(MaxLatencyWriter.class);
    private static final ProxyStats STATS = new ProxyStats("jcstress-lesson03").quiet();

    private final RecordingDestination dst = new RecordingDestination();
    private final MaxLatencyWriter w = new MaxLatencyWriter(dst, Duration.ofMillis(100), STATS, () -> { });

    public StopVsFlushTest() {
        FLUSHER.set(w, Flushers.PARKED); // no real flusher thread: actor2 plays it
    }

    @Actor
    public void handler(ZI_Result r) {
        w.stop(); // what the handler's finally does, and only then
        dst.close(); // is the response finished
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
