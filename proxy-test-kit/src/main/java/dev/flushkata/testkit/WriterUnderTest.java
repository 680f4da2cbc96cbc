package dev.flushkata.testkit;

import dev.flushkata.plumbing.ProxyStats;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A lesson's MaxLatencyWriter driven the way its handler drives it: made around the response stream,
 * written to, then stopped. Found by reflection, through nothing but what a handler uses (the
 * constructor, write, and stop() or close()), so a participant may restructure everything private and
 * still get a verdict; where even that is gone, {@link #whyNot()} says so in one line.
 */
public final class WriterUnderTest {

    /**
     * The timer given to a writer that takes one (lesson-04's delayed flushes): one daemon thread for every
     * writer made here, as a proxy shares one; it ends after a second with nothing to do.
     */
    private static final ScheduledThreadPoolExecutor TIMER = timer();
    // lesson-04's flush threads: the timer hands each due flush to one (daemon, ended after a second idle)
    private static final java.util.concurrent.ThreadPoolExecutor FLUSHES = new java.util.concurrent.ThreadPoolExecutor(
            0, Integer.MAX_VALUE, 1, TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(), r -> {
                Thread th = new Thread(r, "writer-under-test-flush");
                th.setDaemon(true);
                return th;
            });

    private final String className;
    private final Constructor<?> constructor;
    private final Method stop;
    private final String whyNot;

    private WriterUnderTest(String className, Constructor<?> constructor, Method stop, String whyNot) {
        this.className = className;
        this.constructor = constructor;
        this.stop = stop;
        this.whyNot = whyNot;
    }

    /** The writer class of a lesson package, e.g. dev.flushkata.lesson01. */
    public static WriterUnderTest of(String lessonPackage) {
        String name = lessonPackage + ".MaxLatencyWriter";
        Class<?> c;
        try {
            c = Class.forName(name);
        } catch (ClassNotFoundException e) {
            return new WriterUnderTest(name, null, null, "there is no class " + name);
        }
        if (!OutputStream.class.isAssignableFrom(c)) {
            return new WriterUnderTest(name, null, null, name + " is no longer an OutputStream");
        }
        Constructor<?> made = Arrays.stream(c.getDeclaredConstructors()).filter(WriterUnderTest::takesStreamLatencyStats)
                .findFirst().orElse(null);
        if (made == null) {
            return new WriterUnderTest(name, null, null,
                    name + " has no constructor taking (OutputStream, Duration, ProxyStats, ...)");
        }
        Method stop = declared(c, "stop");
        if (stop == null) {
            stop = declared(c, "close");
        }
        if (stop == null) {
            return new WriterUnderTest(name, null, null, name + " has neither stop() nor close() of its own");
        }
        made.setAccessible(true);
        stop.setAccessible(true);
        return new WriterUnderTest(name, made, stop, null);
    }

    /** Null when the writer can be driven; else why not, in one line. */
    public String whyNot() {
        return whyNot;
    }

    /** The method that ends a writer: "stop()" or "close()". */
    public String stopName() {
        return stop == null ? "?" : stop.getName() + "()";
    }

    /** A new writer around dst; extra constructor parameters get do-nothing hooks, or the shared timer. */
    public OutputStream create(OutputStream dst, Duration latency, ProxyStats stats) {
        requireUsable();
        Class<?>[] types = constructor.getParameterTypes();
        Object[] args = new Object[types.length];
        args[0] = dst;
        args[1] = latency;
        args[2] = stats;
        for (int i = 3; i < types.length; i++) {
            args[i] = types[i] == Runnable.class ? (Runnable) () -> { }
                    : types[i] == Consumer.class ? (Consumer<Object>) x -> { }
                    : types[i] == ScheduledExecutorService.class ? TIMER
                    : types[i] == java.util.concurrent.Executor.class ? FLUSHES : null;
        }
        try {
            return (OutputStream) constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            throw sneaky(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Calls the writer's stop() (or close()). */
    public void stop(OutputStream writer) {
        requireUsable();
        try {
            stop.invoke(writer);
        } catch (InvocationTargetException e) {
            throw sneaky(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private void requireUsable() {
        if (whyNot != null) {
            throw new IllegalStateException(className + ": " + whyNot);
        }
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "writer-under-test-timer");
            th.setDaemon(true);
            return th;
        });
        t.setKeepAliveTime(1, TimeUnit.SECONDS);
        t.allowCoreThreadTimeOut(true);
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    private static boolean takesStreamLatencyStats(Constructor<?> c) {
        Class<?>[] p = c.getParameterTypes();
        return p.length >= 3 && p[0] == OutputStream.class && p[1] == Duration.class && p[2] == ProxyStats.class;
    }

    private static Method declared(Class<?> c, String name) {
        try {
            Method m = c.getDeclaredMethod(name);
            return Modifier.isStatic(m.getModifiers()) ? null : m;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
        throw (T) t;
    }
}
