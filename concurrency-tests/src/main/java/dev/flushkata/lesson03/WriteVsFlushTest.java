package dev.flushkata.lesson03;

/*
 * lesson-03 (refactored for testing): a write and one flush step (flushOnce, as the flusher thread runs
 * it) race on the same response. Both take lk, so the response never sees them overlap, and the 4
 * bytes arrive whole, before or after the flush. The refactoring must keep that.
 *
 * Run just this test (from concurrency-tests/target, so its result files stay under target/):
 *   java -jar jcstress.jar -t lesson03.WriteVsFlushTest -m sanity -time 100 -iters 2
 * or through the build: ./mvnw -pl concurrency-tests -am verify -Dmaven.test.skip=true -Djcstress.tests=lesson03.WriteVsFlushTest
 *
 * Real output on this machine (OpenJDK 17.0.15, 2 cores: Intel Xeon, 1 thread per core), from a full run
 * with the build's settings (-m sanity -time 100 -iters 2; 28 JVM/compilation configurations, merged):
 *
 *    RESULT  SAMPLES     FREQ      EXPECT  DESCRIPTION
 *   0, 1, 0  173,467   94.14%  Acceptable  The flush went first and saw no bytes; the write then lan...
 *   4, 1, 0   10,799    5.86%  Acceptable  The write went first; the flush saw all 4 bytes. No overlap.
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
@Outcome(id = "0, 1, 0", expect = ACCEPTABLE,
        desc = "The flush went first and saw no bytes; the write then landed whole. No overlap.")
@Outcome(id = "4, 1, 0", expect = ACCEPTABLE,
        desc = "The write went first; the flush saw all 4 bytes. No overlap.")
@Outcome(expect = FORBIDDEN,
        desc = "A write and a flush were inside the response at once, a flush saw part of a write, or bytes"
                + " were lost or torn: lk no longer guards the response.")
@State
public class WriteVsFlushTest {

    private static final VarHandle FLUSHER = Flushers.flusherField(MaxLatencyWriter.class);
    private static final ProxyStats STATS = new ProxyStats("jcstress-lesson03").quiet();
    private static final byte[] DATA = {1, 2, 3, 4};

    private final RecordingDestination dst = new RecordingDestination();
    private final MaxLatencyWriter w = new MaxLatencyWriter(dst, Duration.ofMillis(100), STATS, () -> { });

    public WriteVsFlushTest() {
        FLUSHER.set(w, Flushers.PARKED); // no real flusher thread: actor2 plays it
    }

    @Actor
    public void handler() {
        try {
            w.write(DATA, 0, DATA.length);
        } catch (IOException e) {
            throw new AssertionError(e); // the response is open: a write cannot fail here
        }
    }

    @Actor
    public void flusher() {
        w.flushOnce();
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r1 = dst.bytesSeenByLastFlush(); // 0 or 4: what the one flush saw
        r.r2 = dst.holdsExactly(DATA) ? 1 : 0;
        r.r3 = dst.overlaps();
    }
}
