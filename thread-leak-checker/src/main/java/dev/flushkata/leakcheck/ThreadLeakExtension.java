package dev.flushkata.leakcheck;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** Runs the checks that {@link CheckThreadLeaks} describes. */
public final class ThreadLeakExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ThreadLeakExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        refuseParallel(context);
        if (classConfig(context).scope() == CheckThreadLeaks.Scope.CLASS) {
            context.getStore(NS).put("snapshot", ThreadSnapshot.take());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ThreadSnapshot snapshot = context.getStore(NS).remove("snapshot", ThreadSnapshot.class);
        if (snapshot != null) {
            check(snapshot, classConfig(context), context.getDisplayName());
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (config(context).scope() == CheckThreadLeaks.Scope.METHOD) {
            context.getStore(NS).put("snapshot", ThreadSnapshot.take());
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        ThreadSnapshot snapshot = context.getStore(NS).remove("snapshot", ThreadSnapshot.class);
        if (snapshot != null) {
            check(snapshot, config(context), context.getRequiredTestClass().getSimpleName() + "."
                    + context.getDisplayName());
        }
    }

    /** Waits for snapshot's new threads to end; fails with their descriptions if some do not. */
    static void check(ThreadSnapshot snapshot, CheckThreadLeaks config, String what) {
        Predicate<Thread> ignore = ignored(config);
        try {
            await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                    .atMost(Duration.ofMillis(config.lingerMillis()))
                    .until(() -> snapshot.newThreads(ignore).isEmpty());
        } catch (ConditionTimeoutException e) {
            List<Thread> leaked = snapshot.newThreads(ignore);
            if (leaked.isEmpty()) {
                return; // they ended between the last poll and now
            }
            String report = leaked.size() + " thread(s) leaked by " + what + ", still alive "
                    + config.lingerMillis() + " ms after it ended:\n" + Threads.describe(leaked);
            if (config.interruptLeaked()) {
                Threads.interrupt(leaked);
            }
            throw new AssertionError(report);
        }
    }

    private static Predicate<Thread> ignored(CheckThreadLeaks config) {
        Predicate<Thread> ignore = t -> false;
        for (String regex : config.ignore()) {
            Pattern p = Pattern.compile(regex);
            ignore = ignore.or(t -> p.matcher(t.getName()).matches());
        }
        for (Class<? extends Predicate<Thread>> c : config.ignoreWhen()) {
            try {
                ignore = ignore.or(c.getDeclaredConstructor().newInstance());
            } catch (ReflectiveOperationException e) {
                throw new ExtensionConfigurationException("cannot create " + c.getName(), e);
            }
        }
        return ignore;
    }

    private static CheckThreadLeaks config(ExtensionContext context) {
        Optional<CheckThreadLeaks> onMethod = context.getTestMethod()
                .flatMap(m -> AnnotationSupport.findAnnotation(m, CheckThreadLeaks.class));
        return onMethod.orElseGet(() -> classConfig(context));
    }

    private static CheckThreadLeaks classConfig(ExtensionContext context) {
        return context.getTestClass()
                .flatMap(c -> AnnotationSupport.findAnnotation(c, CheckThreadLeaks.class))
                .orElseGet(Defaults::get);
    }

    /** Snapshots of all live threads cannot tell one test's threads from another's. */
    private static void refuseParallel(ExtensionContext context) {
        if (context.getConfigurationParameter("junit.jupiter.execution.parallel.enabled")
                .map(Boolean::parseBoolean).orElse(false)) {
            throw new ExtensionConfigurationException(
                    "@CheckThreadLeaks does not support parallel test execution: "
                            + "set junit.jupiter.execution.parallel.enabled=false");
        }
    }

    /** The annotation's defaults, for tests registered without it. */
    @CheckThreadLeaks
    private static final class Defaults {
        static CheckThreadLeaks get() {
            return Defaults.class.getAnnotation(CheckThreadLeaks.class);
        }
    }
}
