package dev.flushkata.leakcheck;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Live threads: count them, pick them by name, describe them with their stacks. JDK only. */
public final class Threads {

    /** Names of JVM, build-tool and test-tool threads that come and go on their own. */
    private static final Pattern SYSTEM_NAMES = Pattern.compile(String.join("|",
            "main", "Reference Handler", "Finalizer", "Signal Dispatcher", "Common-Cleaner", "Attach Listener",
            "Notification Thread", "process reaper", "DestroyJavaVM", "Monitor Ctrl-Break",
            "ForkJoinPool\\.commonPool-worker-\\d+", "surefire-forkedjvm-.*", "JFR .*", "Java2D .*",
            "awaitility.*", "junit-.*", "ping-.*", "Thread-\\d+ \\(surefire\\).*"));

    private Threads() {
    }

    /** Every live thread now. */
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

    /** The JVM's own threads (group "system") and the build's and test tools' well-known ones. */
    public static boolean isSystem(Thread t) {
        ThreadGroup g = t.getThreadGroup();
        return (g != null && g.getName().equals("system")) || SYSTEM_NAMES.matcher(t.getName()).matches();
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
        Map<List<StackTraceElement>, List<Thread>> byStack = new java.util.LinkedHashMap<>();
        threads.stream().sorted(Comparator.comparing(Thread::getName)).forEach(t -> byStack
                .computeIfAbsent(List.of(stacks.getOrDefault(t, t.getStackTrace())), k -> new java.util.ArrayList<>())
                .add(t));
        StringBuilder sb = new StringBuilder();
        byStack.forEach((stack, group) -> {
            for (Thread t : group) {
                sb.append("  \"").append(t.getName()).append("\" state=").append(t.getState())
                        .append(" daemon=").append(t.isDaemon()).append('\n');
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
