package dev.flushkata.leakcheck;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** The live threads at one moment, to tell later which threads are new. */
public final class ThreadSnapshot {

    private final Set<Thread> before;
    private final Set<Long> virtualBefore; // ids: the JDK gives us no Thread for most virtual threads

    private ThreadSnapshot(Set<Thread> before, Set<Long> virtualBefore) {
        this.before = before;
        this.virtualBefore = virtualBefore;
    }

    /** Notes every live thread: platform threads, and on JDK 21+ virtual threads too. */
    public static ThreadSnapshot take() {
        Set<Thread> s = Collections.newSetFromMap(new IdentityHashMap<>());
        s.addAll(Threads.live());
        Set<Long> virtual = Threads.canSeeVirtualThreads()
                ? Threads.virtualThreads().stream().map(LiveThread::id).collect(Collectors.toSet())
                : Set.of();
        return new ThreadSnapshot(s, virtual);
    }

    /**
     * Polls every 20 ms, up to timeout, until no new thread (but those ignored) is alive; returns the ones
     * still alive then. For programs; tests use {@link CheckThreadLeaks}.
     */
    public List<Thread> awaitNoNewThreads(Predicate<Thread> ignore, java.time.Duration timeout)
            throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        List<Thread> left;
        while (!(left = newThreads(ignore)).isEmpty() && System.nanoTime() - end < 0) {
            Thread.sleep(20);
        }
        return left;
    }

    /**
     * Platform threads alive now that were not alive at the snapshot, except system threads and those
     * ignored. Virtual threads: {@link #newLiveThreads(Predicate)}.
     */
    public List<Thread> newThreads(Predicate<Thread> ignore) {
        return Threads.matching(t -> !before.contains(t) && !Threads.isSystem(t) && !ignore.test(t));
    }

    /**
     * Threads, platform and (JDK 21+) virtual, alive now that were not alive at the snapshot, except the
     * JDK's own, those with a built-in name (JVM and tool threads) and those ignored; sorted by name.
     */
    public List<LiveThread> newLiveThreads(Predicate<LiveThread> ignore) {
        return newLiveThreads(Threads.all(), true, t -> false, ignore);
    }

    /** Of all, those new since the snapshot (or counted even if old), not the JDK's own, not ignored. */
    List<LiveThread> newLiveThreads(List<LiveThread> all, boolean ignoreBuiltInNames, Predicate<LiveThread> evenIfOld,
            Predicate<LiveThread> ignore) {
        return all.stream().filter(t -> (!isOld(t) || evenIfOld.test(t)) && !Threads.isJdkOwn(t)
                && !(ignoreBuiltInNames && Threads.hasBuiltInName(t)) && !ignore.test(t)).toList();
    }

    private boolean isOld(LiveThread t) {
        return t.isVirtual() ? virtualBefore.contains(t.id()) : before.contains(t.thread().orElseThrow());
    }
}
