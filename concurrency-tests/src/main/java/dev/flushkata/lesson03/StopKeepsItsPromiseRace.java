package dev.flushkata.lesson03;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.flushkata.testkit.StopPromiseRace;
import dev.flushkata.testkit.WriterUnderTest;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Go's stop() promise, with a real flusher thread: the handler writes (the flusher starts and flushes every
 * microsecond), calls stop(), and finishes the response. Once stop() has returned, no flush may reach the
 * response and the flusher must have ended. The writer is driven only through its constructor, write and
 * stop() (or close()), as the handler drives it, so a rewritten writer is judged too.
 * Outcome (late flush, flusher alive after stop()). Run alone:
 * java -jar concurrency-tests/target/jcstress.jar -t lesson03.StopKeepsItsPromiseRace -m sanity
 */
@JCStressTest
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "kept: no flush after stop(), flusher ended")
@Outcome(id = "1, .*", expect = FORBIDDEN, desc = "BROKEN PROMISE: a flush after stop() returned")
@Outcome(id = "0, 1", expect = FORBIDDEN, desc = "BROKEN PROMISE: flusher alive after stop()")
@State
public class StopKeepsItsPromiseRace {

    private static final WriterUnderTest WRITER = WriterUnderTest.of("dev.flushkata.lesson03");

    private final StopPromiseRace race = new StopPromiseRace(WRITER, true); // one thread per writer, joined

    @Actor
    public void handler() {
        race.handler();
    }

    @Arbiter
    public void arbiter(II_Result r) {
        r.r1 = race.lateFlush();
        r.r2 = race.flusherAliveAfterStop();
    }
}
