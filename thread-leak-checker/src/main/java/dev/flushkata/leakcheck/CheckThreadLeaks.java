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
 * <p>Before each test it notes the live threads; after it, it waits up to {@link #lingerMillis()} for
 * every new thread to end, polling, and then fails with each survivor's name, state, daemon flag and
 * stack, and interrupts them. JVM and test-tool threads are ignored. Tests must not run in parallel.
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
        CLASS
    }

    Scope scope() default Scope.METHOD;

    /** How long new threads may take to end after the test, in milliseconds. */
    long lingerMillis() default 5_000;

    /** Regular expressions (whole names) of threads that may stay. */
    String[] ignore() default {};

    /** Predicates, with a no-argument constructor, of threads that may stay. */
    Class<? extends Predicate<Thread>>[] ignoreWhen() default {};

    /** Interrupt the leaked threads after reporting them, so one leak does not spill into later tests. */
    boolean interruptLeaked() default true;
}
