package dev.flushkata.lesson03;

/*
 * lesson-03: a write races the handler's stop(); stop(); close(). The write either reaches the response
 * (before the close) or fails loudly (IOException, and its own stop() is harmless); a write that returns
 * while its bytes went nowhere is FORBIDDEN. stop() is called twice: it must be idempotent, and the
 * writer must stay stopped (the arbiter's flushOnce() returns false).
 *
 * Run just this test (from concurrency-tests/target, so its result files stay under target/):
 *   java -jar jcstress.jar -t lesson03.WriteVsStopTest -m sanity -time 100 -iters 2
 * or through the build: ./mvnw -pl concurrency-tests -am verify -Dmaven.test.skip=true -Djcstress.tests=lesson03.WriteVsStopTest
 *
 * Real output on this machine (OpenJDK 17.0.15, 2 cores: Intel Xeon, 1 thread per core), from a full run
 * with the build's settings (-m sanity -time 100 -iters 2; 28 JVM/compilation configurations, merged):
 *
 *    RESULT  SAMPLES     FREQ      EXPECT  DESCRIPTION
 *   1, 0, 0        0    0.00%   Forbidden  The write returned but its bytes are nowhere: silently lost.
 *   1, 4, 0   35,207   19.79%  Acceptable  The write returned and its 4 bytes reached the response b...
 *   2, 0, 0  142,678   80.21%  Acceptable  The write came after the close and threw: it failed loudl...
 */

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.flushkata.jcstress.Flushers;
import dev.flushkata.jcstress.RecordingDestination;
import dev.flushkata.plumbing.ProxyStats;
import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

@JCStressTest
@Outcome(id = "1, 4, 0", expect = ACCEPTABLE,
        desc = "The write returned and its 4 bytes reached the response before it was closed.")
@Outcome(id = "2, 0, 0", expect = ACCEPTABLE,
        desc = "The write came after the close and threw: it failed loudly, and its own stop() was harmless.")
@Outcome(id = "1, 0, 0", expect = FORBIDDEN,
        desc = "The write returned but its bytes are nowhere: silently lost.")
@Outcome(expect = FORBIDDEN,
        desc = "Torn bytes, a write that both threw and landed, or a writer that flushes after two stop()s.")
@State
public class WriteVsStopTest {

    private static final VarHandle FLUSHER = Flushers.flusherField(MaxLatencyWriter.class);
    private static final ProxyStats STATS = new ProxyStats("jcstress-lesson03").quiet();
    private static final byte[] DATA = {1, 2, 3, 4};

    private final RecordingDestination dst = new RecordingDestination();
    private final MaxLatencyWriter w = new MaxLatencyWriter(dst, Duration.ofMillis(100), STATS, () -> { });

    public WriteVsStopTest() {
        FLUSHER.set(w, Flushers.PARKED); // no real flusher thread: write() starts none
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
        w.stop(); // idempotent: the second returns at once and changes nothing
        dst.close();
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r2 = dst.holdsExactly(DATA) ? 4 : dst.count() == 0 ? 0 : -1; // 4 whole, 0 none, -1 torn
        r.r3 = w.flushOnce() ? 1 : 0; // stopped stays stopped: 0
    }
}
