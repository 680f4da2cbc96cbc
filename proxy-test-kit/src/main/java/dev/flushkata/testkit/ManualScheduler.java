package dev.flushkata.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A timer that never fires by itself, for a writer that arms delayed flushes (lesson-04 on): schedule()
 * records the task, and the test, or a jcstress actor, fires it. Its futures are FutureTasks, as a
 * ScheduledThreadPoolExecutor's are, so cancel() and a firing race as they do there: a task whose body
 * has started runs on even if cancel() then returns true. No thread is started, ever.
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    /** One armed task: its delay, whether its body started, and fire() to run it as the timer would. */
    public static final class Task extends FutureTask<Void> implements ScheduledFuture<Void> {
        private final long delayNanos;
        private volatile boolean started;

        private Task(Runnable body, long delayNanos) {
            super(body, null);
            this.delayNanos = delayNanos;
        }

        private static Task of(Runnable body, long delayNanos) {
            Task[] self = new Task[1];
            self[0] = new Task(() -> {
                self[0].started = true;
                body.run();
            }, delayNanos);
            return self[0];
        }

        /** The timer fires: runs the body unless it was cancelled before (FutureTask.run's check). */
        public void fire() {
            run();
        }

        /** Whether the body ran (or runs now): it did even if cancel() came while it ran. */
        public boolean started() {
            return started;
        }

        /** Neither run nor cancelled: the timer would still fire it. */
        public boolean armed() {
            return !isDone() && !started;
        }

        public long delayNanos() {
            return delayNanos;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(delayNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(delayNanos, o.getDelay(TimeUnit.NANOSECONDS));
        }
    }

    private final List<Task> tasks = new CopyOnWriteArrayList<>();
    private volatile boolean shutdown;

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Task t = Task.of(command, unit.toNanos(delay));
        tasks.add(t);
        return t;
    }

    /** Every task scheduled so far, in order. */
    public List<Task> tasks() {
        return tasks;
    }

    /** The n-th task scheduled (0 is the first). */
    public Task task(int n) {
        return tasks.get(n);
    }

    /** Tasks the timer would still fire. */
    public int armed() {
        return (int) tasks.stream().filter(Task::armed).count();
    }

    /** Fires every armed task, oldest first, as the timer would once their delays are over; how many ran. */
    public int fireAll() {
        int ran = 0;
        for (Task t : new ArrayList<>(tasks)) {
            if (t.armed()) {
                t.fire();
                ran++;
            }
        }
        return ran;
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("a writer schedules Runnables");
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException("one-shot delays only");
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("one-shot delays only");
    }

    @Override
    public void execute(Runnable command) {
        throw new UnsupportedOperationException("schedule() only: nothing runs but what a test fires");
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return shutdown;
    }
}
