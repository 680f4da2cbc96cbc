package dev.flushkata.leakcheck;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** The live threads at one moment, to tell later which threads are new. */
public final class ThreadSnapshot {

    private final Set<Thread> before;

    private ThreadSnapshot(Set<Thread> before) {
        this.before = before;
    }

    public static ThreadSnapshot take() {
        Set<Thread> s = Collections.newSetFromMap(new IdentityHashMap<>());
        s.addAll(Threads.live());
        return new ThreadSnapshot(s);
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

    /** Threads alive now that were not alive at the snapshot, except system threads and those ignored. */
    public List<Thread> newThreads(Predicate<Thread> ignore) {
        return Threads.matching(t -> !before.contains(t) && !Threads.isSystem(t) && !ignore.test(t));
    }
}
