package dev.flushkata.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** The writer's promises catch each fix people really write, every time, and pass the right one. */
class WriterPromisesContractTest {

    static final String RETURNS = "stop() returns even when the flusher is waiting for the lock";
    static final String NO_OVERLAP = "a write and a flush never reach the response at once";
    static final String WAITS = "once stop() returns, no flush is under way";

    @Test
    void theRightWriterKeepsEveryPromise() {
        assertThat(outcomes(dev.flushkata.testkit.fake.right.Promises.class))
                .containsEntry(RETURNS, "ok").containsEntry(NO_OVERLAP, "ok").containsEntry(WAITS, "ok");
    }

    @Test
    void stopJoiningUnderTheLockIsADeadlockNamedAsOne() {
        long started = System.nanoTime();
        Map<String, String> got = outcomes(dev.flushkata.testkit.fake.joinunderlock.Promises.class);
        assertThat(got.get(RETURNS)).startsWith("RED deadlock: stop() never returns");
        // Told by its locks, not by a deadline: well before the 30 s a merely slow stop() gets.
        assertThat((System.nanoTime() - started) / 1_000_000_000L).isLessThan(Deadlines.FAULT_FREE.toSeconds());
    }

    @Test
    void aBoundedJoinIsNoPromise() {
        assertThat(outcomes(dev.flushkata.testkit.fake.boundedjoin.Promises.class))
                .containsEntry(RETURNS, "ok").containsEntry(NO_OVERLAP, "ok")
                .hasEntrySatisfying(WAITS, o -> assertThat(o).startsWith("RED stop() returned while a flush was still under way"));
    }

    @Test
    void flushesWithoutTheLockOverlapWrites() {
        assertThat(outcomes(dev.flushkata.testkit.fake.unlocked.Promises.class))
                .containsEntry(RETURNS, "ok").containsEntry(WAITS, "ok")
                .hasEntrySatisfying(NO_OVERLAP, o -> assertThat(o).startsWith("RED a flush reached the response while a write"));
    }

    /** Each test's display name and "ok" or "RED " and the first line of its failure. */
    static Map<String, String> outcomes(Class<?> promises) {
        Map<String, String> got = new TreeMap<>();
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(promises)).execute().testEvents()
                .finished().stream().forEach(e -> got.put(e.getTestDescriptor().getDisplayName(), outcome(e)));
        return got;
    }

    private static String outcome(Event finished) {
        TestExecutionResult r = finished.getPayload(TestExecutionResult.class).orElseThrow();
        if (r.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
            return "ok";
        }
        String m = r.getThrowable().map(t -> String.valueOf(t.getMessage())).orElse(r.getStatus().toString());
        return "RED " + m.lines().findFirst().orElse(m);
    }
}
