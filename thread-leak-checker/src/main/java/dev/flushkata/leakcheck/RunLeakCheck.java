package dev.flushkata.leakcheck;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;
import org.junit.platform.engine.ConfigurationParameters;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * goleak's VerifyTestMain: one check over a whole test run, for threads that no single test is blamed for
 * (started in a static initializer, a class rule, a test without the annotation). Off unless the JUnit
 * configuration parameter (or system property) {@value #ENABLED} is true. It notes the live threads when
 * the run starts; when it ends, it waits up to {@value #LINGER} ms (5000 unless set) for the new ones to
 * end, ignoring names matching the regular expression {@value #IGNORE}, and interrupts the survivors.
 * Their report goes to stderr and fails the launcher session when it closes, which fails the build: a
 * listener's own failure would only be logged.
 *
 * <p>Registered through META-INF/services, so every JUnit Platform launcher that has the checker on its
 * class path loads it; while off, it does nothing.
 */
public final class RunLeakCheck implements TestExecutionListener, LauncherSessionListener {

    public static final String ENABLED = "flushkata.leakcheck.run";
    public static final String LINGER = "flushkata.leakcheck.run.lingerMillis";
    public static final String IGNORE = "flushkata.leakcheck.run.ignore";

    /** Runs under way, innermost last (a test may start a launcher of its own). */
    private static final Deque<Run> RUNS = new ArrayDeque<>();
    private static final Deque<String> REPORTS = new ArrayDeque<>(); // waiting for their session to close

    private record Run(TestPlan plan, ThreadSnapshot snapshot, LeakCheck check) {
    }

    @Override
    public void testPlanExecutionStarted(TestPlan plan) {
        ConfigurationParameters params = plan.getConfigurationParameters();
        if (!params.getBoolean(ENABLED).orElse(false)) {
            return;
        }
        ThreadLeakExtension.sayOnceWhatItCannotSee();
        Predicate<LiveThread> ignore = params.get(IGNORE).map(LeakCheck::namesMatching).orElse(t -> false);
        long linger = params.get(LINGER).map(Long::parseLong).orElse(5_000L);
        synchronized (RUNS) {
            RUNS.addLast(new Run(plan, ThreadSnapshot.take(), new LeakCheck(linger, true, ignore, true, -1)));
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        Run run;
        synchronized (RUNS) {
            run = RUNS.peekLast();
            if (run == null || run.plan != plan) {
                return;
            }
            RUNS.removeLast();
        }
        List<LiveThread> leaked = run.check.awaitEnd(run.snapshot);
        if (leaked.isEmpty()) {
            return;
        }
        String report = leaked.size() + " thread(s) leaked by the test run, still alive " + run.check.lingerMillis
                + " ms after its last test ended:\n" + Threads.describeAll(leaked) + run.check.interrupt(leaked, "the run");
        System.err.println(report);
        synchronized (REPORTS) {
            REPORTS.addLast(report);
        }
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        String report;
        synchronized (REPORTS) {
            report = REPORTS.pollLast();
        }
        if (report != null) {
            throw new AssertionError(report);
        }
    }

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        // nothing: the configuration parameters come with the test plan
    }
}
