package dev.flushkata.leakcheck;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Leaked threads the checker interrupted (or could not), until they end. One still alive past its
 * deadline is a zombie: later tests would start from a baseline that holds it, and it may act on their
 * objects, so they fail, naming it and the test that left it, instead of passing or failing for its sake.
 * Deciding at the next test, not right after the interrupt, costs a leak-free run nothing and gives a slow
 * machine the whole deadline.
 */
final class Zombies {

    private record Suspect(LiveThread thread, String leftBy, long deadline) {
    }

    private static final List<Suspect> SUSPECTS = new ArrayList<>(); // guarded by Zombies.class

    private Zombies() {
    }

    static synchronized void suspect(Collection<LiveThread> threads, String leftBy, long zombieMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(zombieMillis);
        threads.forEach(t -> SUSPECTS.add(new Suspect(t, leftBy, deadline)));
    }

    /**
     * Waits until every suspect has ended or reached its deadline; returns a report on those alive past it
     * (the zombies), or "" when there are none.
     */
    static String check() {
        List<Suspect> suspects;
        synchronized (Zombies.class) {
            suspects = List.copyOf(SUSPECTS);
        }
        if (suspects.isEmpty()) {
            return "";
        }
        long last = suspects.stream().mapToLong(Suspect::deadline).max().orElseThrow();
        List<List<Suspect>> alive = new ArrayList<>(List.of(suspects));
        LeakCheck.pollUntil(() -> {
            Set<Long> live = liveIds();
            long now = System.nanoTime();
            alive.set(0, alive.get(0).stream().filter(s -> live.contains(s.thread.id())).toList());
            return alive.get(0).stream().allMatch(s -> now - s.deadline >= 0);
        }, last);
        List<Suspect> zombies = alive.get(0);
        synchronized (Zombies.class) {
            SUSPECTS.retainAll(zombies); // the ended ones are forgotten; zombies stay until they end
        }
        if (zombies.isEmpty()) {
            return "";
        }
        Map<Long, LiveThread> now = Threads.all().stream()
                .collect(Collectors.toMap(LiveThread::id, t -> t, (a, b) -> a));
        Map<String, List<LiveThread>> byTest = new LinkedHashMap<>();
        for (Suspect z : zombies) {
            byTest.computeIfAbsent(z.leftBy, k -> new ArrayList<>()).add(now.getOrDefault(z.thread.id(), z.thread));
        }
        StringBuilder sb = new StringBuilder();
        byTest.forEach((test, threads) -> sb.append(threads.size() == 1 ? "a thread" : threads.size() + " threads")
                .append(" from test ").append(test).append(" survived ")
                .append(threads.size() == 1 ? "its" : "their").append(" interrupt (zombie")
                .append(threads.size() == 1 ? "" : "s").append(") and may act on this test's objects:\n")
                .append(Threads.describeAll(threads)));
        return sb.toString();
    }

    private static Set<Long> liveIds() {
        return Threads.all().stream().map(LiveThread::id).collect(Collectors.toSet());
    }

    /** Self-tests start every run clean. */
    static synchronized void forget() {
        SUSPECTS.clear();
    }
}
