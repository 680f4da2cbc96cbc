package dev.flushkata.jcstress;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Keeps a jcstress sample from starting a real flusher thread. Each lesson's MaxLatencyWriter starts one
 * on its first write, unless its private {@code flusher} field is already set: the tests set it to
 * {@link #PARKED}, a thread that is never started. Then write() starts nothing, stop()'s join returns at
 * once (a thread never started is not alive), and an actor calling flushOnce() plays the flusher.
 */
public final class Flushers {

    /** Never started: stands in for every sample's flusher thread. */
    public static final Thread PARKED = new Thread(() -> { }, "jcstress-stand-in-flusher");

    private Flushers() {
    }

    /**
     * A handle on {@code writerClass}'s private {@code Thread flusher} field. Call once and keep it in a
     * static: the tests live in the writer's package, so they can name the package-private class.
     */
    public static VarHandle flusherField(Class<?> writerClass) {
        try {
            return MethodHandles.privateLookupIn(writerClass, MethodHandles.lookup())
                    .findVarHandle(writerClass, "flusher", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
