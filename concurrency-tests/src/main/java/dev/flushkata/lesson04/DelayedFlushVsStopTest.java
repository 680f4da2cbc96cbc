package dev.flushkata.lesson04;

/*
 * lesson-04 (timer): the timer fires the pending delayed flush while the handler calls stop() and then
 * finishes the response. stop() clears flushPending and cancels the task under mu; a task the timer had
 * already started checks flushPending under mu and leaves the response alone. No flush may touch the
 * closed response: FORBIDDEN. The interesting outcome is the one Go's comment is about ("stop was called
 * but AfterFunc already started this goroutine"): the task ran, and the guard kept it from flushing.
 *
 * The fourth outcome says whether stop() had begun when the fired task returned: if not, the task ran alone
 * and must have flushed, so a writer that never flushes is FORBIDDEN too, not a quiet "nothing ran".
 *
 * No thread is started: the writer's timer is a ManualScheduler, which records the armed task (a
 * FutureTask, with a real timer's cancel semantics), and actor 1 fires it.
 *
 * Run just this test (from concurrency-tests/target, so its result files stay under target/):
 *   java -jar jcstress.jar -t lesson04.DelayedFlushVsStopTest -m sanity -time 100 -iters 2 -sc false -jvmArgs -Dkata.jcstress.single-mode=true
 * or through the build: ./mvnw -pl concurrency-tests -am verify -Dmaven.test.skip=true -Djcstress.tests=lesson04.DelayedFlushVsStopTest
 *
 * Real output on this machine (OpenJDK 17.0.15, 2 cores: Intel Xeon, 1 thread per core), from a full run
 * with the build's settings (-m sanity -time 100 -iters 2 -sc false -jvmArgs -Dkata.jcstress.single-mode=true;
 * configurations merged), on a machine shared with other builds:
 *
 *       RESULT  SAMPLES     FREQ       EXPECT  DESCRIPTION
 *   0, 0, 0, 1      687   95.28%   Acceptable  stop() went first and cancelled the task before the timer...
 *   1, 0, 0, 0        0    0.00%    Forbidden  The delayed flush ran to its end before stop() began, yet...
 *   1, 0, 0, 1       25    3.47%  Interesting  The timer had started the task when stop() took mu: the f...
 *   1, 1, 0, 0        6    0.83%   Acceptable  The delayed flush went first; stop() waited for mu, then ...
 *   1, 1, 0, 1        3    0.42%   Acceptable  The delayed flush went first; stop() waited for mu, then ...
 *  1, 1, 1, .*        0    0.00%    Forbidden  A delayed flush reached the closed response after stop() ...
 *  1, 1, 2, .*        0    0.00%    Forbidden  The response was closed while a delayed flush was still i...
 */

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
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
@Outcome(id = "0, 0, 0, 1", expect = ACCEPTABLE,
        desc = "stop() went first and cancelled the task before the timer fired it: nothing ran.")
@Outcome(id = "1, 1, 0, [01]", expect = ACCEPTABLE,
        desc = "The delayed flush went first; stop() waited for mu, then the response was closed.")
@Outcome(id = "1, 0, 0, 1", expect = ACCEPTABLE_INTERESTING,
        desc = "The timer had started the task when stop() took mu: the flushPending guard kept it from flushing.")
@Outcome(id = "1, 0, 0, 0", expect = FORBIDDEN,
        desc = "The delayed flush ran to its end before stop() began, yet flushed nothing: the writer never flushes.")
@Outcome(id = "1, 1, 1, .*", expect = FORBIDDEN,
        desc = "A delayed flush reached the closed response after stop() had returned.")
@Outcome(id = "1, 1, 2, .*", expect = FORBIDDEN,
        desc = "The response was closed while a delayed flush was still inside it: stop() returned too early.")
@Outcome(expect = FORBIDDEN, desc = "Cannot happen: a task that never started flushes nothing.")
@State
public class DelayedFlushVsStopTest {

    private static final ProxyStats STATS = new ProxyStats("jcstress-lesson04").quiet();
    private static final byte[] DATA = {1, 2, 3, 4};

    private final RecordingDestination dst = new RecordingDestination();
    private final ManualScheduler timer = new ManualScheduler();
    private final MaxLatencyWriter w = new MaxLatencyWriter(dst, Duration.ofMillis(100), STATS, timer, Runnable::run);

    public DelayedFlushVsStopTest() {
        try {
            w.write(DATA, 0, DATA.length); // rides on the flush armed for the headers: the one pending
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private volatile boolean stopping; // the handler has begun stop()

    @Actor
    public void timer(IIII_Result r) {
        timer.task(0).fire();
        r.r4 = stopping ? 1 : 0; // 0: the task ran to its end before stop() began, so it must have flushed
    }

    @Actor
    public void handler() {
        stopping = true;
        w.stop(); // the handler's finally, and only then
        dst.close(); // is the response finished
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r1 = timer.task(0).started() ? 1 : 0;
        r.r2 = dst.flushes() + dst.flushesAfterClose();
        r.r3 = dst.lateFlush();
    }
}
