package dev.flushkata.leakcheck;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fails a test (or a test class) that leaves threads behind: the kata's goleak.
 *
 * <p>Before each test it notes the live threads, platform and (JDK 21+) virtual; after it, it polls (1 ms
 * at first, backing off to 100 ms) for up to {@link #lingerMillis()} until every new thread has ended, and
 * then fails with each survivor's name, state, daemon flag and stack, and interrupts them. When the test
 * has already failed it does not wait: it looks once and adds what is still alive to the test's failure.
 * The JDK's own threads (carriers of virtual threads included) are never blamed on a test; JVM and
 * test-tool threads known by name are ignored unless {@link #ignoreJvmAndToolThreads()} is false.
 * A thread that is still alive {@link #zombieMillis()} after its interrupt is a zombie: every later
 * checked test fails before it runs, naming the zombie and the test that left it. Tests must not run in
 * parallel. The annotation on a test method replaces its class's.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(ThreadLeakExtension.class)
public @interface CheckThreadLeaks {

    /** What one check covers. */
    enum Scope {
        /** Each test method on its own (the default). */
        METHOD,
        /** The whole class: threads may pass from one test to the next, but not outlive the class. */
        CLASS,
        /** No check: for one test (on its method) or one class that leaves threads on purpose. */
        NONE
    }

    /** What a leak does. */
    enum Action {
        /** Fails the test (the default). */
        FAIL,
        /** Prints the report on stderr and publishes it as a report entry; the test passes. */
        WARN
    }

    Scope scope() default Scope.METHOD;

    /** How long new threads may take to end after the test, in milliseconds. */
    long lingerMillis() default 5_000;

    /** Regular expressions (whole names) of threads that may stay. */
    String[] ignore() default {};

    /**
     * Predicates, with a no-argument constructor, of threads that may stay. They see platform threads, and
     * virtual threads only where the JDK hands the checker their Thread (see {@link LiveThread#thread()}).
     */
    Class<? extends Predicate<Thread>>[] ignoreWhen() default {};

    /**
     * Threads whose top frame, the method they are in now, is one of these ("class.method", such as
     * "sun.nio.ch.EPoll.wait"): goleak's IgnoreTopFunction.
     */
    String[] ignoreTopFrame() default {};

    /**
     * Threads with any of these methods ("class.method") anywhere on their stack, such as the loop of a
     * pool that is shared on purpose: goleak's IgnoreAnyFunction.
     */
    String[] ignoreAnyFrame() default {};

    /**
     * Ignore the JVM, build-tool and test-tool threads known by name (ForkJoinPool.commonPool-worker-n,
     * surefire-*, junit-*, awaitility*, ...). With false, a task stuck in the common pool is a leak like
     * any other (idle pool workers never are). The JDK's own threads are always ignored.
     */
    boolean ignoreJvmAndToolThreads() default true;

    /** Interrupt the leaked threads after reporting them, so one leak does not spill into later tests. */
    boolean interruptLeaked() default true;

    /** What a leak does: fail the test, or only warn. */
    Action action() default Action.FAIL;

    /**
     * How long an interrupted leaked thread may take to end, in milliseconds, before it counts as a zombie
     * and later tests fail, named as its victims. The next checked test waits for it up to then (most end at
     * once); the time counts from the interrupt.
     */
    long zombieMillis() default 10_000;
}
