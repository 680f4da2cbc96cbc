package dev.flushkata.lesson04;

/*
 * lesson-04 (timer): a write races the delayed flush the timer fires. Both take mu, so the response never
 * sees them overlap. And one delayed flush at a time is enough only if no write is left behind: a write
 * that lands before the flush rides on it (nothing new armed); one that lands after it, once flushPending
 * is false again, must arm the next. Bytes written after the last flush with nothing armed would wait
 * for the end of the response: FORBIDDEN.
 *
 * No thread is started: the writer's timer is a ManualScheduler, and actor 2 fires the armed task.
 *
 * Run just this test (from concurrency-tests/target, so its result files stay under target/):
 *   java -jar jcstress.jar -t lesson04.WriteVsDelayedFlushTest -m sanity -time 100 -iters 2 -sc false -jvmArgs -Dkata.jcstress.single-mode=true
 * or through the build: ./mvnw -pl concurrency-tests -am verify -Dmaven.test.skip=true -Djcstress.tests=lesson04.WriteVsDelayedFlushTest
 *
 * Real output on this machine (OpenJDK 17.0.15, 2 cores: Intel Xeon, 1 thread per core), from a full run
 * with the build's settings (-m sanity -time 100 -iters 2 -sc false -jvmArgs -Dkata.jcstress.single-mode=true;
 * configurations merged), on a machine shared with other builds:
 *
 *       RESULT  SAMPLES     FREQ      EXPECT  DESCRIPTION
 *   0, 1, 0, 0        0    0.00%   Forbidden  The write landed after the flush and armed nothing: its b...
 *   0, 2, 1, 0    4,790   65.90%  Acceptable  The flush went first and saw no bytes; the write then arm...
 *   4, 1, 0, 0    2,479   34.10%  Acceptable  The write went first and rode on the pending flush, which...
 */

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.flushkata.jcstress.RecordingDestination;
import dev.flushkata.plumbing.ProxyStats;
import dev.flushkata.testkit.ManualScheduler;
import java.io.IOException;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

@JCStressTest
@Outcome(id = "0, 2, 1, 0", expect = ACCEPTABLE,
        desc = "The flush went first and saw no bytes; the write then armed the next flush, which is pending.")
@Outcome(id = "4, 1, 0, 0", expect = ACCEPTABLE,
        desc = "The write went first and rode on the pending flush, which took its 4 bytes. Nothing left.")
@Outcome(id = "0, 1, 0, 0", expect = FORBIDDEN,
        desc = "The write landed after the flush and armed nothing: its bytes wait for the end of the response.")
@Outcome(expect = FORBIDDEN,
        desc = "A write and a flush were inside the response at once, a flush saw part of a write, or a flush"
                + " was armed twice: mu no longer guards flushPending and the response.")
@State
public class WriteVsDelayedFlushTest {

    private static final ProxyStats STATS = new ProxyStats("jcstress-lesson04").quiet();
    private static final byte[] DATA = {1, 2, 3, 4};

    private final RecordingDestination dst = new RecordingDestination();
    private final ManualScheduler timer = new ManualScheduler();
    private final MaxLatencyWriter w = new MaxLatencyWriter(dst, Duration.ofMillis(100), STATS, timer, Runnable::run);

    @Actor
    public void handler() {
        try {
            w.write(DATA, 0, DATA.length);
        } catch (IOException e) {
            throw new AssertionError(e); // the response is open: a write cannot fail here
        }
    }

    @Actor
    public void timer() {
        timer.task(0).fire(); // the flush armed when the writer was made (the headers')
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r1 = dst.bytesSeenByLastFlush(); // 0 or 4: what the one flush saw
        r.r2 = timer.tasks().size(); // flushes ever armed
        r.r3 = timer.armed(); // armed and not yet fired
        r.r4 = dst.overlaps() + (dst.holdsExactly(DATA) ? 0 : 100);
    }
}
