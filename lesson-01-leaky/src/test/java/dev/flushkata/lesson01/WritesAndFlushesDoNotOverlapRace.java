package dev.flushkata.lesson01;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.flushkata.testkit.OverlapRace;
import dev.flushkata.testkit.WriterUnderTest;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * The exercise's second race check: concurrency-tests' lesson01.WriteVsFlushTest, on whatever this lesson's
 * writer has become. The handler writes while the writer's own flusher flushes every microsecond; the
 * writer's lock must keep them apart. Run by the exercise command, after the regression suite is green.
 */
@JCStressTest
@Outcome(id = "0", expect = ACCEPTABLE, desc = "kept: no write and flush inside the response at once")
@Outcome(id = "1", expect = FORBIDDEN, desc = "BROKEN PROMISE: a write and a flush at once")
@State
public class WritesAndFlushesDoNotOverlapRace {

    private static final WriterUnderTest WRITER = WriterUnderTest.of("dev.flushkata.lesson01");

    private final OverlapRace race = new OverlapRace(WRITER);

    @Actor
    public void handler() {
        race.handler();
    }

    @Arbiter
    public void arbiter(I_Result r) {
        r.r1 = race.overlapped();
    }
}
