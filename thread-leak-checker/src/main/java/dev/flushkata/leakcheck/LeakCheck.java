package dev.flushkata.leakcheck;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** One check's settings, and the waiting, reporting and interrupting they call for; JUnit-free. */
final class LeakCheck {

    /** Backoff, as goleak's: look at once, then after 1 ms, doubling up to 100 ms between looks. */
    static final long FIRST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    static final String NO_HANDLE = "the JDK gives no handle on a virtual thread you did not start; run the "
            + "JVM with --add-exports java.base/jdk.internal.vm=ALL-UNNAMED to let the checker interrupt it";

    final long lingerMillis;
    final boolean ignoreJvmAndToolThreads;
    final Predicate<LiveThread> ignore;
    final boolean interruptLeaked;
    final long zombieMillis;

    LeakCheck(long lingerMillis, boolean ignoreJvmAndToolThreads, Predicate<LiveThread> ignore,
            boolean interruptLeaked, long zombieMillis) {
        this.lingerMillis = lingerMillis;
        this.ignoreJvmAndToolThreads = ignoreJvmAndToolThreads;
        this.ignore = ignoreJvmAndToolThreads ? ignore : ignore.or(LeakCheck::isIdleCommonPoolWorker);
        this.interruptLeaked = interruptLeaked;
        this.zombieMillis = zombieMillis;
    }

    static Predicate<LiveThread> namesMatching(String regex) {
        Pattern p = Pattern.compile(regex);
        return t -> p.matcher(t.name()).matches();
    }

    static Predicate<LiveThread> topFrameIn(String... frames) {
        Set<String> set = new HashSet<>(List.of(frames));
        return t -> set.contains(t.topFrame());
    }

    static Predicate<LiveThread> anyFrameIn(String... frames) {
        Set<String> set = new HashSet<>(List.of(frames));
        return t -> t.stack().stream().anyMatch(e -> set.contains(LiveThread.frameName(e)));
    }

    /** A predicate on Thread, for the threads we have a Thread of. */
    static Predicate<LiveThread> onThread(Predicate<Thread> p) {
        return t -> t.thread().map(p::test).orElse(false);
    }

    private static boolean isCommonPoolWorker(LiveThread t) {
        return !t.isVirtual() && t.name().startsWith("ForkJoinPool.commonPool-worker-");
    }

    /** A common-pool worker waiting for work runs nobody's task: not a leak, even with the name list off. */
    private static boolean isIdleCommonPoolWorker(LiveThread t) {
        return isCommonPoolWorker(t) && t.hasFrame("java.util.concurrent.ForkJoinPool.awaitWork");
    }

    /**
     * snapshot's new threads now, but the JDK's own and those ignored. With the name list off, a busy
     * common-pool worker counts even if it is older than the test: pool threads outlive tasks, and the
     * leak is the task that outlived the test.
     */
    List<LiveThread> lookOnce(ThreadSnapshot snapshot) {
        return snapshot.newLiveThreads(Threads.all(), ignoreJvmAndToolThreads,
                ignoreJvmAndToolThreads ? t -> false : LeakCheck::isCommonPoolWorker, ignore);
    }

    /** Looks until snapshot's new threads have ended or the linger is over; returns those alive then. */
    List<LiveThread> awaitEnd(ThreadSnapshot snapshot) {
        List<List<LiveThread>> last = new ArrayList<>(List.of(List.of()));
        pollUntil(() -> {
            last.set(0, lookOnce(snapshot));
            return last.get(0).isEmpty();
        }, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(lingerMillis));
        return last.get(0);
    }

    /**
     * Polls done, quickly at first and backing off, until it is true or deadline (System.nanoTime()) has
     * passed; true if it became true. An interrupt does not cut the wait short: it would turn a slow
     * thread into a false leak. The flag is set again on return.
     */
    static boolean pollUntil(BooleanSupplier done, long deadline) {
        boolean interrupted = Thread.interrupted();
        try {
            long pause = FIRST_PAUSE_NANOS;
            while (!done.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.sleep(Math.min(pause, left));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
                pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
            }
            return true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Interrupts leaked, if told to, and hands them to the zombie watch (unless zombieMillis is negative:
     * nothing follows the run-level check); returns a line for the report naming those it had no handle
     * to interrupt, or "".
     */
    String interrupt(List<LiveThread> leaked, String leftBy) {
        if (!interruptLeaked) {
            return "";
        }
        List<LiveThread> untouchable = leaked.stream().filter(t -> !t.interrupt()).toList();
        if (zombieMillis >= 0) {
            Zombies.suspect(leaked, leftBy, zombieMillis);
        }
        if (untouchable.isEmpty()) {
            return "";
        }
        return "Not interrupted, " + untouchable.size() + " virtual thread(s) ("
                + untouchable.stream().map(LiveThread::toString).collect(Collectors.joining(", ")) + "): "
                + NO_HANDLE + ".\n";
    }
}
