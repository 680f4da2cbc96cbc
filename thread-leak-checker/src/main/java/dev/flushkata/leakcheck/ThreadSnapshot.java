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

    /** Threads alive now that were not alive at the snapshot, except system threads and those ignored. */
    public List<Thread> newThreads(Predicate<Thread> ignore) {
        return Threads.matching(t -> !before.contains(t) && !Threads.isSystem(t) && !ignore.test(t));
    }
}
