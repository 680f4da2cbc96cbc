package dev.flushkata.lesson01;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.flushkata.testkit.Flushers;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * The exercise's contract, checked by the default build: the regression suite (FlusherStopsTest, which
 * lesson-02 and lesson-03 pass) fails on this lesson as it is, each red for the leak, in words. If this
 * test fails, its message lists every inner test with its outcome and first line: either lesson-01 was
 * changed (the exercise solved: reset it with {@code git restore lesson-01-leaky}), or the suite went
 * red or green for a reason other than the leak, which is a bug in the suite.
 */
class ExerciseIsRedTest {

    /** Said first by a failure of the default build's lesson-01 tests: most likely, the exercise is solved. */
    static final String LEAKY_ON_PURPOSE = "lesson-01 is meant to be leaky in the default build (./mvnw verify):"
            + " if you fixed it, well done; judge your fix with ./mvnw -q -Pexercise -pl lesson-01-leaky -am test,"
            + " and put the lesson back with git restore lesson-01-leaky before ./mvnw verify.%n";

    /** What the pristine lesson must give: a failed write is the one thing that stops its flusher. */
    static final Map<String, String> EXPECTED = new TreeMap<>(Map.of(
            "every flusher ends when its response ends", "RED a flush reached a finished response",
            "the flusher ends when the backend dies mid-body", "RED a flush reached a finished response",
            "a slow stream is flushed while it streams, and its flusher ends with it", "RED a flush reached a finished response",
            "the flusher ends when the client disconnects mid-stream", "ok"));

    @AfterEach
    void stopLeakedFlushers() {
        Flushers.stopLeaked();
    }

    @Test
    void theRegressionSuiteFailsOnTheLeakyLessonForTheLeak() {
        Map<String, String> got = new TreeMap<>();
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(FlusherStopsTest.class)).execute().testEvents()
                .finished().stream().forEach(e -> got.put(e.getTestDescriptor().getDisplayName(), outcome(e)));

        assertThat(got).as(LEAKY_ON_PURPOSE + "the exercise suite on pristine lesson-01, test by test").hasSameSizeAs(EXPECTED)
                .allSatisfy((test, outcome) -> assertThat(outcome).as(LEAKY_ON_PURPOSE + "%s%nall: %s", test, got)
                        .startsWith(EXPECTED.getOrDefault(test, "(not expected)")));
    }

    /** "ok", or "RED " and the first line of why. */
    private static String outcome(Event finished) {
        TestExecutionResult r = finished.getPayload(TestExecutionResult.class).orElseThrow();
        if (r.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
            return "ok";
        }
        String m = r.getThrowable().map(t -> String.valueOf(t.getMessage())).orElse(r.getStatus().toString());
        return "RED " + m.lines().findFirst().orElse(m);
    }
}
