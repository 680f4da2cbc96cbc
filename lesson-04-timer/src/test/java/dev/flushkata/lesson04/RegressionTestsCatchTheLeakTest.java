package dev.flushkata.lesson04;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.flushkata.leakcheck.CheckThreadLeaks;
import dev.flushkata.plumbing.ProxyFactory;
import dev.flushkata.testkit.Flushers;
import java.io.OutputStream;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/** A regression test is worth its keep if it fails on the bug: FlushIntervalTest, pointed at lesson-01. */
class RegressionTestsCatchTheLeakTest {

    /** FlushIntervalTest against lesson-01's ReverseProxy, which has no hooks. Run only from below. */
    @CheckThreadLeaks(ignore = Flushers.JDK_CLIENT_THREADS, lingerMillis = 500)
    static class AgainstLesson01 extends FlushIntervalTest {
        @Override
        Duration deadline() {
            return Duration.ofSeconds(1); // the leak does not end by waiting longer
        }

        @Override
        ProxyFactory proxy(Consumer<OutputStream> beforeCopyResponse) {
            return dev.flushkata.lesson01.ReverseProxy::new;
        }

        @Override
        int pendingFlushes() {
            return 0; // lesson-01 arms no delayed flush: its flushers are threads, counted by the tests
        }

        @Override
        boolean hasHooks() {
            return false;
        }
    }

    @AfterEach
    void stopLeakedFlushers() {
        Flushers.stopLeaked();
    }

    @Test
    void theThreadTestsFailOnTheLeakyDesign() {
        Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(AgainstLesson01.class))
                .execute().testEvents();

        tests.assertStatistics(s -> s.started(3).failed(2).succeeded(1));
        assertThat(failure(tests, "everyRequestCopiesThroughAMaxLatencyWriterAndNoFlusherStays"))
                .hasMessageContaining("flusher threads back to");
        assertThat(failure(tests, "everyDelayedFlushEndsWithItsResponse"))
                .hasMessageContaining("a delayed flush or a flusher outlived its response");
    }

    private static Throwable failure(Events tests, String method) {
        Event failed = tests.failed().filter(e -> e.getTestDescriptor().getDisplayName().startsWith(method + "("))
                .findFirst().orElseThrow(() -> new AssertionError(method + " did not fail"));
        return failed.getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
    }
}
