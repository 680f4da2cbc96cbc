package dev.flushkata.lesson04;

/*
 * lesson-04 (timer): a write races the handler's stop(); stop(); close(). The write either reaches the
 * response (before the close) or fails loudly (IOException); a write that returns while its bytes went
 * nowhere is FORBIDDEN. And whatever the order, nothing the write armed may flush after stop() returned:
 * the arbiter fires every task still armed, as the timer would. A write between stop() and the close
 * arms nothing (lesson-04's stopped flag; Go's copy never writes then, so Go needs none); without it,
 * that write's delayed flush would reach the closed response.
 *
 * No thread is started: the writer's timer is a ManualScheduler. The headers' flush is fired before the
 * actors run, so the write finds no flush pending and arms one.
 *
 * Run just this test (from concurrency-tests/target, so its result files stay under target/):
 *   java -jar jcstress.jar -t lesson04.WriteVsStopTest -m sanity -time 100 -iters 2 -sc false -jvmArgs -Dkata.jcstress.single-mode=true
 * or through the build: ./mvnw -pl concurrency-tests -am verify -Dmaven.test.skip=true -Djcstress.tests=lesson04.WriteVsStopTest
 *
 * Real output on this machine (OpenJDK 17.0.15, 2 cores: Intel Xeon, 1 thread per core), from a full run
 * with the build's settings (-m sanity -time 100 -iters 2 -sc false -jvmArgs -Dkata.jcstress.single-mode=true;
 * configurations merged), on a machine shared with other builds:
 *
 *    RESULT  SAMPLES     FREQ      EXPECT  DESCRIPTION
 *   1, 0, 0        0    0.00%   Forbidden  The write returned but its bytes are nowhere: silently lost.
 *   1, 4, 0      560    7.14%  Acceptable  The write returned and its 4 bytes reached the response b...
 *   2, 0, 0    7,279   92.86%  Acceptable  The write came after the close and threw: it failed loudl...
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
import org.openjdk.jcstress.infra.results.III_Result;

@JCStressTest
@Outcome(id = "1, 4, 0", expect = ACCEPTABLE,
        desc = "The write returned and its 4 bytes reached the response before it was closed; no flush after stop().")
@Outcome(id = "2, 0, 0", expect = ACCEPTABLE,
        desc = "The write came after the close and threw: it failed loudly, and armed nothing.")
@Outcome(id = "1, 0, 0", expect = FORBIDDEN,
        desc = "The write returned but its bytes are nowhere: silently lost.")
@Outcome(expect = FORBIDDEN,
        desc = "A flush the write armed reached the response after stop() returned, or torn bytes.")
@State
public class WriteVsStopTest {

    private static final ProxyStats STATS = new ProxyStats("jcstress-lesson04").quiet();
    private static final byte[] DATA = {1, 2, 3, 4};

    private final RecordingDestination dst = new RecordingDestination();
    private final ManualScheduler timer = new ManualScheduler();
    private final MaxLatencyWriter w = new MaxLatencyWriter(dst, Duration.ofMillis(100), STATS, timer, Runnable::run);

    public WriteVsStopTest() {
        timer.task(0).fire(); // the headers' flush is done: the write will arm the next one
    }

    @Actor
    public void writer(III_Result r) {
        try {
            w.write(DATA, 0, DATA.length);
            r.r1 = 1; // returned
        } catch (IOException e) {
            r.r1 = 2; // threw
        }
    }

    @Actor
    public void handler() {
        w.stop();
        w.stop(); // idempotent: the second changes nothing
        dst.close();
    }

    @Arbiter
    public void arbiter(III_Result r) {
        timer.fireAll(); // what the timer would still run once the delays are over
        r.r2 = dst.holdsExactly(DATA) ? 4 : dst.count() == 0 ? 0 : -1; // 4 whole, 0 none, -1 torn
        r.r3 = dst.lateFlush(); // 0: no flush after stop() returned
    }
}
