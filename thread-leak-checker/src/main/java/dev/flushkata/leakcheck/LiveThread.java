package dev.flushkata.leakcheck;

import java.util.List;
import java.util.Optional;

/**
 * One live thread as the checker sees it: a platform thread, or (JDK 21+) a virtual one read from the
 * JVM's thread dump. The JDK hands out no {@link Thread} for a virtual thread that someone else started,
 * so {@link #thread()} is empty for those unless the JVM runs with
 * {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}; name, id, state and stack are always there.
 */
public final class LiveThread {

    private final long id;
    private final String name;
    private final boolean virtual;
    private final String state; // Thread.State's name, or "" when the JDK's dump does not say (JDK 21)
    private final List<StackTraceElement> stack;
    private final Thread thread; // null: a virtual thread we have no handle on

    LiveThread(long id, String name, boolean virtual, String state, List<StackTraceElement> stack, Thread thread) {
        this.id = id;
        this.name = name;
        this.virtual = virtual;
        this.state = state;
        this.stack = List.copyOf(stack);
        this.thread = thread;
    }

    static LiveThread of(Thread t, StackTraceElement[] stack) {
        return new LiveThread(t.getId(), t.getName(), false, t.getState().name(), List.of(stack), t);
    }

    /** The thread's id (Thread.threadId()): unique for the JVM's life, never reused. */
    public long id() {
        return id;
    }

    public String name() {
        return name;
    }

    public boolean isVirtual() {
        return virtual;
    }

    /** RUNNABLE, WAITING, ...; empty when the JDK did not say (a virtual thread on JDK 21 without a handle). */
    public String state() {
        if (state.isEmpty() && thread != null) {
            return thread.getState().name();
        }
        return state;
    }

    /** Virtual threads are always daemons. */
    public boolean isDaemon() {
        return virtual || thread.isDaemon();
    }

    /** Top frame first, as Thread.getStackTrace() gives it. */
    public List<StackTraceElement> stack() {
        return stack;
    }

    /** The frame the thread is in now (class.method), or "" for an empty stack. */
    public String topFrame() {
        return stack.isEmpty() ? "" : frameName(stack.get(0));
    }

    /** Whether any frame is the method class.method, e.g. "java.util.concurrent.CountDownLatch.await". */
    public boolean hasFrame(String classDotMethod) {
        return stack.stream().anyMatch(e -> frameName(e).equals(classDotMethod));
    }

    /** The Thread itself: always for platform threads, for virtual ones only when the JDK lets us have it. */
    public Optional<Thread> thread() {
        return Optional.ofNullable(thread);
    }

    /** Interrupts it; false when there is no handle to do it with. */
    public boolean interrupt() {
        if (thread == null) {
            return false;
        }
        thread.interrupt();
        return true;
    }

    static String frameName(StackTraceElement e) {
        return e.getClassName() + "." + e.getMethodName();
    }

    @Override
    public String toString() {
        return "\"" + name + "\"" + (virtual ? " #" + id + " virtual" : "");
    }
}
