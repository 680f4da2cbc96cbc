package dev.flushkata.leakcheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
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

    /** Waits for release like startWaiting, and shrugs off interrupts: a zombie in the making. */
    static Thread startIgnoringInterrupts(String name) {
        CountDownLatch latch = release;
        Thread t = new Thread(() -> {
            while (latch.getCount() > 0) {
                try {
                    latch.await();
                } catch (InterruptedException e) {
                    // ignored on purpose
                }
            }
        }, name);
        t.start();
        return t;
    }

    /** Sleeps in short naps until released: its top frame is a sleep, not a park. */
    static Thread startSleeping(String name) {
        CountDownLatch latch = release;
        Thread t = new Thread(() -> sleepUntilReleased(latch), name);
        t.start();
        return t;
    }

    static void sleepUntilReleased(CountDownLatch latch) {
        try {
            while (latch.getCount() > 0) {
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            // interrupted by the extension after it reported the leak
        }
    }

    static void waitForRelease(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            // interrupted by the extension after it reported the leak
        }
    }

    /** Samples wait until their threads are parked, so what the checker sees does not depend on timing. */
    static void awaitParked(Thread... threads) {
        await().atMost(Duration.ofSeconds(30)).until(() -> List.of(threads).stream().allMatch(
                t -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING));
    }

    /** Sample threads alive, platform and virtual. */
    static long samplesAlive() {
        return Threads.all().stream().filter(t -> t.name().startsWith("sample-")).count();
    }

    @AfterEach
    void releaseSampleThreads() {
        releaseSamples();
    }

    static void releaseSamples() {
        release.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> samplesAlive() == 0
                && ForkJoinPool.commonPool().getActiveThreadCount() == 0);
        release = new CountDownLatch(1);
        Zombies.forget(); // the samples' zombies have ended; the next run starts clean
    }

    static Events run(Class<?> sample) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(sample)).execute().testEvents();
    }

    static Throwable failure(Event e) {
        return e.getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
    }

    static List<Throwable> failures(Events events) {
        return events.failed().stream().map(ThreadLeakExtensionTest::failure).toList();
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

    @CheckThreadLeaks(lingerMillis = 300)
    static class OneTestOptsOut {
        @Test
        @CheckThreadLeaks(scope = CheckThreadLeaks.Scope.NONE)
        void leavesAThreadOnPurpose() {
            startWaiting("sample-opted-out-1");
        }
    }

    @CheckThreadLeaks(scope = CheckThreadLeaks.Scope.NONE)
    static class ClassOptsOut {
        @Test
        void leavesAThreadOnPurpose() {
            startWaiting("sample-opted-out-2");
        }
    }

    @CheckThreadLeaks(lingerMillis = 300, action = CheckThreadLeaks.Action.WARN)
    static class WarnsOnly {
        @Test
        void leavesAThreadWaiting() {
            startWaiting("sample-warned-1");
        }
    }

    @CheckThreadLeaks(lingerMillis = 300, zombieMillis = 300)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class LeavesAZombie {
        static volatile boolean nextTestRan;

        @Test
        @Order(1)
        void leavesAThreadThatShrugsOffInterrupts() {
            nextTestRan = false;
            startIgnoringInterrupts("sample-zombie-1");
        }

        @Test
        @Order(2)
        void comesNext() {
            nextTestRan = true;
        }
    }

    /** Default zombieMillis: the next test waits for the interrupted thread to end, however slow the machine. */
    @CheckThreadLeaks(lingerMillis = 300)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class LeavesAThreadThatEndsOnInterrupt {
        @Test
        @Order(1)
        void leavesAThreadWaiting() {
            startWaiting("sample-interruptible-1");
        }

        @Test
        @Order(2)
        void comesNext() {
        }
    }

    /** The linger is an hour: only a checker that stops looking once the thread has ended passes in time. */
    @CheckThreadLeaks(lingerMillis = 3_600_000)
    static class EndingSoonAfterWithAnHourToLinger {
        @Test
        void startsAThreadThatEndsAfterTheTest() {
            new EndingSoonAfter().startsAThreadThatEndsAfterTheTest();
        }
    }

    /** Here too: a test that failed must not wait out the hour. */
    @CheckThreadLeaks(lingerMillis = 3_600_000)
    static class FailsWithAThreadAlive {
        @Test
        void failsWhileItsThreadWaits() {
            awaitParked(startWaiting("sample-evidence-1"));
            throw new AssertionError("the test's own failure");
        }
    }

    @CheckThreadLeaks(lingerMillis = 300, ignoreTopFrame = "jdk.internal.misc.Unsafe.park")
    static class IgnoredByTopFrame {
        @Test
        void leavesAParkedAndASleepingThread() {
            awaitParked(startWaiting("sample-parked-1"), startSleeping("sample-sleeping-1"));
        }
    }

    @CheckThreadLeaks(lingerMillis = 300,
            ignoreAnyFrame = "dev.flushkata.leakcheck.ThreadLeakExtensionTest.sleepUntilReleased")
    static class IgnoredByAnyFrame {
        @Test
        void leavesAParkedAndASleepingThread() {
            awaitParked(startWaiting("sample-parked-2"), startSleeping("sample-sleeping-2"));
        }
    }

    /** A task of this test stuck in the common pool. */
    static void leaveATaskInTheCommonPool() {
        CountDownLatch latch = release;
        ForkJoinPool.commonPool().execute(() -> waitForRelease(latch));
        await().atMost(Duration.ofSeconds(30)).until(() -> Threads.all().stream()
                .anyMatch(t -> t.hasFrame("dev.flushkata.leakcheck.ThreadLeakExtensionTest.waitForRelease")
                        && t.state().equals("WAITING")));
    }

    @CheckThreadLeaks(lingerMillis = 300)
    static class TaskStuckInTheCommonPool {
        @Test
        void leavesATaskWaiting() {
            leaveATaskInTheCommonPool();
        }
    }

    @CheckThreadLeaks(lingerMillis = 300, ignoreJvmAndToolThreads = false)
    static class TaskStuckInTheCommonPoolNoBuiltInList {
        @Test
        void leavesATaskWaiting() {
            leaveATaskInTheCommonPool();
        }
    }

    /** The default linger: the worker may take a moment to go idle after the task, on a busy machine. */
    @CheckThreadLeaks(ignoreJvmAndToolThreads = false)
    static class TaskDoneInTheCommonPoolNoBuiltInList {
        @Test
        void runsATaskToItsEnd() {
            ForkJoinPool.commonPool().submit(() -> { }).join();
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
    void scopeNoneTurnsTheCheckOffForAMethodOrAClass() {
        run(OneTestOptsOut.class).assertStatistics(s -> s.started(1).succeeded(1));
        run(ClassOptsOut.class).assertStatistics(s -> s.started(1).succeeded(1));

        assertThat(Threads.count(Threads.named("sample-opted-out-\\d"))).as("left alone, not interrupted").isEqualTo(2);
    }

    @Test
    void warnOnlyPassesTheTestAndPrintsAndPublishesTheReport() {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stderr = System.err;
        System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        org.junit.platform.testkit.engine.EngineExecutionResults results;
        try {
            results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(WarnsOnly.class)).execute();
        } finally {
            System.setErr(stderr);
        }

        results.testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8)).contains(
                "WARNING (@CheckThreadLeaks action = WARN): 1 thread(s) leaked by WarnsOnly.leavesAThreadWaiting()");
        assertThat(results.allEvents().reportingEntryPublished().stream()
                .map(e -> e.getPayload(ReportEntry.class).orElseThrow().getKeyValuePairs().get("thread-leak")))
                .singleElement().asString().contains("1 thread(s) leaked by WarnsOnly.leavesAThreadWaiting()",
                        "\"sample-warned-1\" state=WAITING");
        await("the leaked thread was interrupted all the same").atMost(Duration.ofSeconds(30))
                .until(() -> Threads.count(Threads.named("sample-warned-1")) == 0);
    }

    @Test
    void aThreadThatSurvivesItsInterruptFailsTheNextTestsNamingTheTestThatLeftIt() {
        Events events = run(LeavesAZombie.class);

        events.assertStatistics(s -> s.started(2).failed(2));
        assertThat(failures(events).get(1)).hasMessageContainingAll(
                "a thread from test LeavesAZombie.leavesAThreadThatShrugsOffInterrupts() survived its interrupt",
                "\"sample-zombie-1\" state=WAITING", "This test did not run");
        assertThat(LeavesAZombie.nextTestRan).isFalse();

        release.countDown(); // the zombie ends at last; from then on tests run again
        await().atMost(Duration.ofSeconds(30)).until(() -> Threads.count(Threads.named("sample-zombie-1")) == 0);
        run(EndingSoonAfter.class).assertStatistics(s -> s.started(1).succeeded(1));
    }

    @Test
    void aThreadThatEndsOnItsInterruptIsNoZombie() {
        Events events = run(LeavesAThreadThatEndsOnInterrupt.class);

        events.assertStatistics(s -> s.started(2).failed(1).succeeded(1));
        assertThat(failures(events).get(0)).hasMessageContaining("leaked by LeavesAThreadThatEndsOnInterrupt.leavesAThreadWaiting()");
    }

    @Test
    void stopsLookingAsSoonAsTheThreadsHaveEndedNotAtTheEndOfTheLinger() {
        assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> run(EndingSoonAfterWithAnHourToLinger.class).assertStatistics(s -> s.started(1).succeeded(1)),
                "an hour's linger was waited out");
    }

    @Test
    void aFailedTestIsNotKeptWaitingItsLiveThreadsAreAddedToItsFailure() {
        Events events = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> run(FailsWithAThreadAlive.class), "an hour's linger was waited out after a failed test");

        events.assertStatistics(s -> s.started(1).failed(1));
        Throwable failure = failure(events.failed().stream().findFirst().orElseThrow());
        assertThat(failure).hasMessage("the test's own failure");
        assertThat(failure.getSuppressed()).singleElement().asString().contains(
                "1 thread(s) also still alive when the test failed, not waited for",
                "\"sample-evidence-1\" state=WAITING", "CountDownLatch.await(");
        await("the thread was interrupted").atMost(Duration.ofSeconds(30))
                .until(() -> Threads.count(Threads.named("sample-evidence-1")) == 0);
    }

    @Test
    void ignoresThreadsByTheirTopFrameOrByAnyFrame() {
        Events byTop = run(IgnoredByTopFrame.class);
        byTop.assertStatistics(s -> s.failed(1));
        assertThat(failure(byTop.failed().stream().findFirst().orElseThrow()))
                .hasMessageContaining("1 thread(s) leaked", "\"sample-sleeping-1\"")
                .hasMessageNotContaining("sample-parked-1");

        Events byAny = run(IgnoredByAnyFrame.class);
        byAny.assertStatistics(s -> s.failed(1));
        assertThat(failure(byAny.failed().stream().findFirst().orElseThrow()))
                .hasMessageContaining("1 thread(s) leaked", "\"sample-parked-2\"")
                .hasMessageNotContaining("sample-sleeping-2");
    }

    @Test
    void withTheBuiltInListOffATaskStuckInTheCommonPoolIsALeak() {
        run(TaskStuckInTheCommonPool.class).assertStatistics(s -> s.succeeded(1)); // ignored by name
        releaseSamples();

        Events events = run(TaskStuckInTheCommonPoolNoBuiltInList.class);

        events.assertStatistics(s -> s.failed(1));
        assertThat(failure(events.failed().stream().findFirst().orElseThrow())).hasMessageContainingAll(
                "1 thread(s) leaked", "\"ForkJoinPool.commonPool-worker-", "ThreadLeakExtensionTest.waitForRelease(");
        releaseSamples();
        run(TaskDoneInTheCommonPoolNoBuiltInList.class).assertStatistics(s -> s.succeeded(1)); // idle: no leak
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
