package dev.flushkata.lesson04;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.flushkata.testkit.StopPromiseRace;
import dev.flushkata.testkit.WriterUnderTest;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Go's stop() promise, on a real timer thread (one, shared by every sample as by a proxy's responses): the writer
 * arms its first delayed flush 1 microsecond away, the handler writes, calls stop() at a random point, and
 * finishes the response. Once stop() has returned, no flush may reach the response. There is no flusher
 * thread to have ended (the second outcome stays 0). The writer is driven only through its constructor,
 * write and stop(), as the handler drives it (StopPromiseRace, shared with lesson-02 and lesson-03).
 * The handler waits (up to 30 s) for the first flush before it stops the writer: a writer that never flushes
 * (a timer that never fires, a hand-off that runs nothing) gives the third outcome 0, which is FORBIDDEN.
 * Outcome (late flush, flusher alive after stop(), flushed before stop()). Run alone:
 * java -jar concurrency-tests/target/jcstress.jar -t lesson04.StopKeepsItsPromiseRace -m sanity
 * Real output here (OpenJDK 17.0.15, 2 cores, shared with other builds; the build's settings; the two
 * configurations' 193 and 158 samples added up):
 * <pre>
 *     RESULT  SAMPLES     FREQ      EXPECT  DESCRIPTION
 *    0, 0, 1      351  100.00%  Acceptable  kept: flushed, then no flush after stop(), flusher ended
 *    0, 0, 0        0    0.00%   Forbidden  NO FLUSH: the writer never flushed in 30 s, so nothing was raced
 *  0, 1, .*        0    0.00%   Forbidden  BROKEN PROMISE: flusher alive after stop()
 *     1, .*        0    0.00%   Forbidden  BROKEN PROMISE: a flush after stop() returned
 * </pre>
 */
@JCStressTest
@Outcome(id = "0, 0, 1", expect = ACCEPTABLE, desc = "kept: flushed, then no flush after stop(), flusher ended")
@Outcome(id = "1, .*", expect = FORBIDDEN, desc = "BROKEN PROMISE: a flush after stop() returned")
@Outcome(id = "0, 1, .*", expect = FORBIDDEN, desc = "BROKEN PROMISE: flusher alive after stop()")
@Outcome(id = "0, 0, 0", expect = FORBIDDEN, desc = "NO FLUSH: the writer never flushed in 30 s, so nothing was raced")
@State
public class StopKeepsItsPromiseRace {

    private static final WriterUnderTest WRITER = WriterUnderTest.of("dev.flushkata.lesson04");

    // no thread per writer (the shared timer lives on); a flush must come first, however busy the machine
    private final StopPromiseRace race = new StopPromiseRace(WRITER, false, java.time.Duration.ofSeconds(30));

    @Actor
    public void handler() {
        race.handler();
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r1 = race.lateFlush();
        r.r2 = race.flusherAliveAfterStop();
        r.r3 = race.flushedBeforeStop();
    }
}
