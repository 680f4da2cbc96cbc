package dev.flushkata.leakcheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** Runs small test classes through the JUnit Platform and checks what the extension made of them. */
class ThreadLeakExtensionTest {

    /** Released by the outer test so sample threads never outlive it. */
    static volatile CountDownLatch release = new CountDownLatch(1);

    static Thread startWaiting(String name) {
        CountDownLatch latch = release;
        Thread t = new Thread(() -> {
            try {
                latch.await();
            } catch (InterruptedException e) {
                // interrupted by the extension after it reported the leak
            }
        }, name);
        t.start();
        return t;
    }

    @AfterEach
    void releaseSampleThreads() {
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> Threads.count(Threads.namePrefix("sample-")) == 0);
        release = new CountDownLatch(1);
    }

    static Events run(Class<?> sample) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(sample)).execute().testEvents();
    }

    // ---- samples (nested classes, so Surefire does not run them on their own) ----

    @CheckThreadLeaks(lingerMillis = 300)
    static class Leaking {
        @Test
        void leavesAThreadWaiting() {
            startWaiting("sample-leaked-1");
        }
    }

    @CheckThreadLeaks(lingerMillis = 300, interruptLeaked = false)
    static class LeakingNotInterrupted {
        @Test
        void leavesAThreadWaiting() {
            startWaiting("sample-kept-1");
        }
    }

    @CheckThreadLeaks
    static class EndingSoonAfter {
        @Test
        void startsAThreadThatEndsAfterTheTest() {
            CountDownLatch go = new CountDownLatch(1);
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "sample-short-1");
            t.start();
            go.countDown(); // it ends around the time the test does: the extension must wait for it
        }
    }

    @CheckThreadLeaks(lingerMillis = 300, ignore = "sample-ignored-\\d+")
    static class IgnoredByName {
        @Test
        void leavesAnIgnoredThread() {
            startWaiting("sample-ignored-1");
        }
    }

    public static final class IgnoreByPredicate implements Predicate<Thread> {
        @Override
        public boolean test(Thread t) {
            return t.getName().endsWith("-whitelisted");
        }
    }

    @CheckThreadLeaks(lingerMillis = 300, ignoreWhen = IgnoreByPredicate.class)
    static class IgnoredByPredicate {
        @Test
        void leavesAnIgnoredThread() {
            startWaiting("sample-whitelisted");
        }
    }

    @CheckThreadLeaks(scope = CheckThreadLeaks.Scope.CLASS, lingerMillis = 300)
    @org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
    static class ClassScope {
        static Thread carried;
        static CountDownLatch stop = new CountDownLatch(1);

        @Test
        @org.junit.jupiter.api.Order(1)
        void startsAThreadForTheNextTest() {
            stop = new CountDownLatch(1);
            CountDownLatch s = stop;
            carried = new Thread(() -> {
                try {
                    s.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "sample-carried-1");
            carried.start();
        }

        @Test
        @org.junit.jupiter.api.Order(2)
        void stopsIt() throws InterruptedException {
            stop.countDown();
            carried.join();
        }
    }

    @CheckThreadLeaks(lingerMillis = 300)
    static class MethodOverridesClass {
        @Test
        @CheckThreadLeaks(lingerMillis = 300, ignore = "sample-method-ok-\\d+")
        void leavesAThreadItsMethodAllows() {
            startWaiting("sample-method-ok-1");
        }
    }

    // ---- the checks ----

    @Test
    void failsATestThatLeavesAThreadAndNamesItWithStateDaemonFlagAndStack() {
        Events events = run(Leaking.class);

        events.assertStatistics(s -> s.started(1).failed(1));
        Throwable failure = events.failed().stream().findFirst().orElseThrow()
                .getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow();
        assertThat(failure).isInstanceOf(AssertionError.class).hasMessageContainingAll(
                "1 thread(s) leaked by Leaking.leavesAThreadWaiting()", "still alive 300 ms after it ended",
                "\"sample-leaked-1\" state=WAITING daemon=false",
                "java.util.concurrent.CountDownLatch.await(",
                "dev.flushkata.leakcheck.ThreadLeakExtensionTest.lambda$startWaiting");
        await("the leaked thread was interrupted").atMost(Duration.ofSeconds(5))
                .until(() -> Threads.count(Threads.named("sample-leaked-1")) == 0);
    }

    @Test
    void leavesTheLeakedThreadAliveWhenToldNotToInterrupt() {
        run(LeakingNotInterrupted.class).assertStatistics(s -> s.failed(1));

        assertThat(Threads.count(Threads.named("sample-kept-1"))).isEqualTo(1);
    }

    @Test
    void waitsForThreadsThatEndShortlyAfterTheTest() {
        run(EndingSoonAfter.class).assertStatistics(s -> s.started(1).succeeded(1));
    }

    @Test
    void passesThreadsIgnoredByNameOrPredicate() {
        run(IgnoredByName.class).assertStatistics(s -> s.succeeded(1));
        run(IgnoredByPredicate.class).assertStatistics(s -> s.succeeded(1));
    }

    @Test
    void classScopeLetsAThreadPassBetweenTestsOfTheClass() {
        var results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(ClassScope.class)).execute();

        results.testEvents().assertStatistics(s -> s.started(2).succeeded(2).failed(0));
        results.containerEvents().assertStatistics(s -> s.failed(0));
    }

    @Test
    void aMethodsAnnotationOverridesItsClass() {
        run(MethodOverridesClass.class).assertStatistics(s -> s.succeeded(1));
    }

    @Test
    void refusesParallelExecution() {
        Events containers = EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .selectors(selectClass(Leaking.class)).execute().containerEvents();

        containers.assertStatistics(s -> s.failed(1));
        assertThat(containers.failed().stream().findFirst().orElseThrow()
                .getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow()).hasMessageContaining("does not support parallel test execution");
    }
}
