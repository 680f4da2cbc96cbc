package dev.flushkata.leakcheck;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Live threads: count them, pick them by name, describe them with their stacks. The methods that take or
 * give {@link Thread} see platform threads only; those with {@link LiveThread} see virtual threads too
 * (JDK 21+), read from the JVM's thread dump.
 */
public final class Threads {

    /** Names of JVM, build-tool and test-tool threads that come and go on their own. */
    private static final Pattern SYSTEM_NAMES = Pattern.compile(String.join("|",
            "main", "Reference Handler", "Finalizer", "Signal Dispatcher", "Common-Cleaner", "Attach Listener",
            "Notification Thread", "process reaper", "DestroyJavaVM", "Monitor Ctrl-Break",
            "ForkJoinPool\\.commonPool-worker-\\d+", "surefire-forkedjvm-.*", "JFR .*", "Java2D .*",
            "awaitility.*", "junit-.*", "ping-.*", "Thread-\\d+ \\(surefire\\).*"));

    private Threads() {
    }

    /** Every live platform thread now (virtual threads: {@link #all()}). */
    public static Set<Thread> live() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).collect(Collectors.toSet());
    }

    /** Live threads that match, sorted by name. */
    public static List<Thread> matching(Predicate<Thread> filter) {
        return live().stream().filter(filter).sorted(Comparator.comparing(Thread::getName)).toList();
    }

    /** How many live threads match. */
    public static int count(Predicate<Thread> filter) {
        return (int) live().stream().filter(filter).count();
    }

    /** Threads whose whole name matches regex. */
    public static Predicate<Thread> named(String regex) {
        Pattern p = Pattern.compile(regex);
        return t -> p.matcher(t.getName()).matches();
    }

    /** The JDK 17 HttpClient's selector thread, which ends only once its client is garbage-collected. */
    public static boolean isJdkHttpClientSelector(Thread t) {
        return JDK_CLIENT_SELECTOR.matcher(t.getName()).matches();
    }

    private static final Pattern JDK_CLIENT_SELECTOR = Pattern.compile("HttpClient-\\d+-SelectorManager");

    /** Threads whose name starts with prefix, such as "max-latency-flusher-". */
    public static Predicate<Thread> namePrefix(String prefix) {
        return t -> t.getName().startsWith(prefix);
    }

    /**
     * The JVM's own threads (group "system", the virtual-thread scheduler's carriers and helpers) and the
     * build's and test tools' well-known ones.
     */
    public static boolean isSystem(Thread t) {
        return isJdkOwn(t) || SYSTEM_NAMES.matcher(t.getName()).matches();
    }

    /** Whether its name is on the built-in list of JVM, build-tool and test-tool threads. */
    public static boolean hasBuiltInName(LiveThread t) {
        return !t.isVirtual() && SYSTEM_NAMES.matcher(t.name()).matches();
    }

    /**
     * Threads the JDK starts for itself and keeps: group "system"; the virtual-thread scheduler's carrier
     * threads (group CarrierThreads: ForkJoinPool-1-worker-n, and its delayScheduler on JDK 25); the JDK's
     * InnocuousThreads (Common-Cleaner, VirtualThread-unparker/-unblocker, the I/O pollers).
     */
    public static boolean isJdkOwn(Thread t) {
        ThreadGroup g = t.getThreadGroup();
        String group = g == null ? "" : g.getName();
        return group.equals("system") || group.equals("CarrierThreads")
                || t.getClass().getName().equals("jdk.internal.misc.InnocuousThread")
                || t.getClass().getName().equals("jdk.internal.misc.CarrierThread");
    }

    /** {@link #isJdkOwn(Thread)}, and the JDK's own virtual threads: the I/O sub-pollers of JDK 22+. */
    public static boolean isJdkOwn(LiveThread t) {
        if (t.isVirtual()) {
            return t.stack().stream().anyMatch(e -> e.getClassName().equals("sun.nio.ch.Poller")
                    && e.getMethodName().endsWith("PollerLoop")); // subPollerLoop: not a user's read parked in poll
        }
        return t.thread().map(Threads::isJdkOwn).orElse(false);
    }

    /** Every live thread, platform and (JDK 21+) virtual, sorted by name. */
    public static List<LiveThread> all() {
        Map<Thread, StackTraceElement[]> platform = Thread.getAllStackTraces();
        List<LiveThread> all = new java.util.ArrayList<>();
        platform.forEach((t, stack) -> {
            if (t.isAlive()) {
                all.add(LiveThread.of(t, stack));
            }
        });
        all.addAll(VirtualThreads.live(platform.keySet().stream().map(Thread::getId).collect(Collectors.toSet())));
        all.sort(Comparator.comparing(LiveThread::name).thenComparing(LiveThread::id));
        return all;
    }

    /** Every live virtual thread, sorted by name; empty before JDK 21. */
    public static List<LiveThread> virtualThreads() {
        return all().stream().filter(LiveThread::isVirtual).toList();
    }

    /** Whether this JVM can list virtual threads (JDK 21+). */
    public static boolean canSeeVirtualThreads() {
        return VirtualThreads.visible();
    }

    /**
     * Whether this JVM lets the checker have the {@link Thread} of a virtual thread it did not start, to
     * interrupt it: JDK 21+ run with {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}.
     */
    public static boolean canInterruptVirtualThreads() {
        return VirtualThreads.handlesAvailable();
    }

    /** Interrupts every thread in threads. */
    public static void interrupt(Collection<Thread> threads) {
        threads.forEach(Thread::interrupt);
    }

    /**
     * Every thread's quoted name, state and daemon flag, and its full stack; threads with the same stack
     * share one copy of it, so a hundred leaked flushers read as one block.
     */
    public static String describe(Collection<Thread> threads) {
        Map<Thread, StackTraceElement[]> stacks = Thread.getAllStackTraces();
        return describeAll(threads.stream()
                .map(t -> LiveThread.of(t, stacks.getOrDefault(t, t.getStackTrace()))).toList());
    }

    /**
     * {@link #describe(Collection)} for platform and virtual threads: a virtual thread's line also says
     * "virtual" and its id (its name is often empty).
     */
    public static String describeAll(Collection<LiveThread> threads) {
        Map<List<StackTraceElement>, List<LiveThread>> byStack = new java.util.LinkedHashMap<>();
        threads.stream().sorted(Comparator.comparing(LiveThread::name).thenComparing(LiveThread::id))
                .forEach(t -> byStack.computeIfAbsent(t.stack(), k -> new java.util.ArrayList<>()).add(t));
        StringBuilder sb = new StringBuilder();
        byStack.forEach((stack, group) -> {
            for (LiveThread t : group) {
                sb.append("  \"").append(t.name()).append('"');
                if (t.isVirtual()) {
                    sb.append(" #").append(t.id()).append(" virtual");
                }
                if (!t.state().isEmpty()) {
                    sb.append(" state=").append(t.state());
                }
                sb.append(" daemon=").append(t.isDaemon()).append('\n');
            }
            if (group.size() > 1) {
                sb.append("    (the ").append(group.size()).append(" threads above share this stack)\n");
            }
            for (StackTraceElement e : stack) {
                sb.append("      at ").append(e).append('\n');
            }
        });
        return sb.toString();
    }
}
