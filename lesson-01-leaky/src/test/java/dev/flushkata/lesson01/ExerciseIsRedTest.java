package dev.flushkata.lesson01;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.flushkata.testkit.Flushers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The exercise's contract, checked by the default build: the regression suite (FlusherStopsTest, which
 * lesson-02 and lesson-03 pass) fails on this lesson as it is. If this test fails, lesson-01 no longer
 * leaks: that is the exercise solved, and the kata's bug gone. Reset it with
 * {@code git restore lesson-01-leaky}.
 */
class ExerciseIsRedTest {

    @AfterEach
    void stopLeakedFlushers() {
        Flushers.stopLeaked();
    }

    @Test
    void theRegressionSuiteFailsOnTheLeakyLesson() {
        Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(FlusherStopsTest.class))
                .execute().testEvents();

        // A failed write is the one way lesson-01 stops a flusher, so only the client-disconnect test passes.
        tests.assertStatistics(s -> s.started(4).failed(3).succeeded(1));
        assertThat(tests.succeeded().stream().map(e -> e.getTestDescriptor().getDisplayName()))
                .containsExactly("theFlusherStopsWhenTheClientDisconnectsMidStream()");
    }
}
