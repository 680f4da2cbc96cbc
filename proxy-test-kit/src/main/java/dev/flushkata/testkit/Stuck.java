package dev.flushkata.testkit;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Watches a thread that must finish (a handler in stop()) and, if it does not, says why in words: a
 * deadlock (it waits, untimed, holding a lock another thread is blocked on, and neither moves) or simply
 * stuck; with both threads' stacks and locks, as jstack would show them.
 */
final class Stuck {

    /** How long a lock cycle must stay unchanged to be called a deadlock: a real one never changes. */
    static final Duration CYCLE_HELD = Duration.ofSeconds(1);

    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    private Stuck() {
    }

    /**
     * Waits until t has ended; returns null then, or, if t is still running after deadline (or is found
     * in a deadlock sooner), an AssertionError naming what holds it.
     */
    static AssertionError awaitEnd(Thread t, Duration deadline, String doing) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        long cycleSince = 0;
        List<Long> cycle = null;
        while (t.isAlive()) {
            if (System.nanoTime() - end > 0) {
                return new AssertionError(doing + " did not return in " + deadline.toSeconds() + " s: it is stuck\n"
                        + dump(List.of(t.getId())));
            }
            List<Long> now = lockCycle(t);
            if (now == null || !now.equals(cycle)) {
                cycle = now;
                cycleSince = System.nanoTime();
            } else if (System.nanoTime() - cycleSince > CYCLE_HELD.toNanos()) {
                return new AssertionError("deadlock: " + doing + " never returns: it waits (in "
                        + waitingIn(t) + ") while holding a lock that " + (now.size() - 1)
                        + " thread(s) are BLOCKED on, the flusher among them, and that one never lets go\n"
                        + dump(now));
            }
            t.join(10);
        }
        return null;
    }

    /**
     * call's result; if it has none after deadline, or sooner if a lesson's code deadlocks meanwhile (a
     * handler's stop() waiting, untimed, while holding a lock its flusher is blocked on), an AssertionError
     * that says so, with the threads' stacks and locks. A deadlocked handler never finishes its response,
     * so a request to it would otherwise wait forever.
     */
    static <T> T within(Duration deadline, String what, java.util.concurrent.Callable<T> call) throws Exception {
        java.util.concurrent.FutureTask<T> task = new java.util.concurrent.FutureTask<>(call);
        Thread t = new Thread(task, "within-" + Thread.currentThread().getName());
        t.setDaemon(true);
        t.start();
        long end = System.nanoTime() + deadline.toNanos();
        long cycleSince = 0;
        List<Long> cycle = null;
        while (!task.isDone()) {
            t.join(50); // a sound request is done by now: it pays for no thread dump
            if (task.isDone()) {
                break;
            }
            if (System.nanoTime() - end > 0) {
                task.cancel(true);
                List<Long> any = lessonDeadlock();
                throw new AssertionError(any != null ? deadlockIn(any, what)
                        : "no answer within " + deadline.toSeconds() + " s to " + what);
            }
            List<Long> now = lessonDeadlock();
            if (now == null || !now.equals(cycle)) {
                cycle = now;
                cycleSince = System.nanoTime();
            } else if (System.nanoTime() - cycleSince > CYCLE_HELD.toNanos()) {
                task.cancel(true);
                throw new AssertionError(deadlockIn(now, what));
            }
        }
        try {
            return task.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
    }

    /**
     * A poll's question "has a lesson's thread deadlocked?", true once the same lock cycle has been seen
     * for CYCLE_HELD; then {@link #report(String)} says what it is.
     */
    static final class Watch {
        private List<Long> cycle;
        private long since;

        boolean deadlocked() {
            List<Long> now = lessonDeadlock();
            if (now == null || !now.equals(cycle)) {
                cycle = now;
                since = System.nanoTime();
                return false;
            }
            return System.nanoTime() - since > CYCLE_HELD.toNanos();
        }

        AssertionError report(String what) {
            return new AssertionError(cycle == null ? what : deadlockIn(cycle, what));
        }
    }

    private static String deadlockIn(List<Long> cycle, String what) {
        ThreadInfo waiting = MX.getThreadInfo(cycle.get(0), 20);
        return "deadlock: a handler never finishes its response (" + what + "): it waits in "
                + lessonFrame(waiting == null ? new StackTraceElement[0] : waiting.getStackTrace())
                + " while holding a lock that " + (cycle.size() - 1) + " thread(s) are BLOCKED on, its flusher among them\n"
                + dump(cycle);
    }

    /** A lesson's thread (a frame in dev.flushkata.lessonNN) in a lock cycle, and those blocked on it; or null. */
    static List<Long> lessonDeadlock() {
        for (ThreadInfo i : MX.dumpAllThreads(true, true)) {
            if (i != null && i.getThreadState() == Thread.State.WAITING && i.getLockedMonitors().length > 0
                    && !lessonFrame(i.getStackTrace()).isEmpty()) {
                List<Long> c = lockCycle(i.getThreadId());
                if (c != null) {
                    return c;
                }
            }
        }
        return null;
    }

    private static String lessonFrame(StackTraceElement[] stack) {
        return Arrays.stream(stack).filter(f -> f.getClassName().matches("dev\\.flushkata\\.lesson\\d+\\..*"))
                .findFirst().map(f -> f.getClassName().replaceFirst(".*\\.", "") + "." + f.getMethodName() + "()")
                .orElse("");
    }

    /**
     * t and the threads blocked on a lock t holds, if t waits without a timeout (WAITING) while they do:
     * the shape of a deadlock. Null otherwise.
     */
    static List<Long> lockCycle(Thread t) {
        return lockCycle(t.getId());
    }

    static List<Long> lockCycle(long id) {
        ThreadInfo info = MX.getThreadInfo(new long[] {id}, true, true)[0];
        if (info == null || info.getThreadState() != Thread.State.WAITING) {
            return null;
        }
        List<Long> ids = new ArrayList<>();
        ids.add(id);
        for (ThreadInfo other : MX.dumpAllThreads(false, false)) {
            if (other != null && other.getLockOwnerId() == id
                    && (other.getThreadState() == Thread.State.BLOCKED || other.getThreadState() == Thread.State.WAITING)) {
                ids.add(other.getThreadId());
            }
        }
        return ids.size() > 1 ? ids : null;
    }

    private static String waitingIn(Thread t) {
        return Arrays.stream(t.getStackTrace()).filter(f -> !f.getClassName().startsWith("java."))
                .findFirst().map(f -> f.getClassName().replaceFirst(".*\\.", "") + "." + f.getMethodName() + "()")
                .orElse("the JDK");
    }

    /** The threads' states, stacks and locks (monitors held, what each waits for and who owns it). */
    static String dump(List<Long> ids) {
        StringBuilder sb = new StringBuilder();
        for (ThreadInfo i : MX.getThreadInfo(ids.stream().mapToLong(Long::longValue).toArray(), true, true)) {
            if (i == null) {
                continue;
            }
            sb.append("  \"").append(i.getThreadName()).append("\" ").append(i.getThreadState());
            LockInfo lock = i.getLockInfo();
            if (lock != null) {
                sb.append(" on ").append(lock);
                if (i.getLockOwnerName() != null) {
                    sb.append(" owned by \"").append(i.getLockOwnerName()).append('"');
                }
            }
            sb.append('\n');
            StackTraceElement[] stack = i.getStackTrace();
            for (int d = 0, shown = 0; d < stack.length && shown < 12; d++) {
                if (stack[d].getClassName().matches("(jdk\\.internal|java\\.lang)\\.reflect\\..*")) {
                    continue; // WriterUnderTest calls stop() by reflection: noise
                }
                shown++;
                sb.append("      at ").append(stack[d]).append('\n');
                for (MonitorInfo m : i.getLockedMonitors()) {
                    if (m.getLockedStackDepth() == d) {
                        sb.append("      - locked ").append(m).append('\n');
                    }
                }
            }
            for (LockInfo s : i.getLockedSynchronizers()) {
                sb.append("      - locked ").append(s).append('\n');
            }
        }
        return sb.toString().stripTrailing();
    }

    /** The state of t, or null once it has ended. */
    static Thread.State state(Thread t) {
        return t.isAlive() ? Objects.requireNonNullElse(t.getState(), Thread.State.TERMINATED) : null;
    }
}
