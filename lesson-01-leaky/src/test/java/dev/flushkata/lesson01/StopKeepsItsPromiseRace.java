package dev.flushkata.lesson01;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.flushkata.testkit.StopPromiseRace;
import dev.flushkata.testkit.WriterUnderTest;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * The exercise's race check: Go's stop() promise, on whatever this lesson's writer has become. The handler
 * writes (the flusher starts and flushes every microsecond), calls stop() (or close()), and finishes the
 * response; once stop() has returned, no flush may reach it. The writer is driven only through its
 * constructor, write and stop(), as the handler drives it, so a rewritten writer is judged too; a design
 * with a shared timer thread is as welcome as one thread per writer. Run by the exercise command, after
 * the regression suite is green (see the README).
 */
@JCStressTest
@Outcome(id = "0", expect = ACCEPTABLE, desc = "kept: no flush after stop() returned")
@Outcome(id = "1", expect = FORBIDDEN, desc = "BROKEN PROMISE: a flush after stop() returned")
@State
public class StopKeepsItsPromiseRace {

    private static final WriterUnderTest WRITER = WriterUnderTest.of("dev.flushkata.lesson01");

    private final StopPromiseRace race = new StopPromiseRace(WRITER, false);

    @Actor
    public void handler() {
        race.handler();
    }

    @Arbiter
    public void arbiter(I_Result r) {
        r.r1 = race.lateFlush();
    }
}
