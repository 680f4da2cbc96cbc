package dev.flushkata.leakcheck;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
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
    private static final AtomicBoolean TOLD_WHAT_IT_CANNOT_SEE = new AtomicBoolean();

    @Override
    public void beforeAll(ExtensionContext context) {
        refuseParallel(context);
        sayOnceWhatItCannotSee();
        CheckThreadLeaks config = classConfig(context);
        if (config.scope() == CheckThreadLeaks.Scope.CLASS) {
            refuseZombies(config, context);
            context.getStore(NS).put("snapshot", ThreadSnapshot.take());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ThreadSnapshot snapshot = context.getStore(NS).remove("snapshot", ThreadSnapshot.class);
        if (snapshot != null) {
            check(snapshot, classConfig(context), context.getDisplayName(), context);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        CheckThreadLeaks config = config(context);
        if (config.scope() == CheckThreadLeaks.Scope.METHOD) {
            refuseZombies(config, context);
            context.getStore(NS).put("snapshot", ThreadSnapshot.take());
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        ThreadSnapshot snapshot = context.getStore(NS).remove("snapshot", ThreadSnapshot.class);
        if (snapshot != null) {
            check(snapshot, config(context), context.getRequiredTestClass().getSimpleName() + "."
                    + context.getDisplayName(), context);
        }
    }

    /** Waits for snapshot's new threads to end; fails (or warns) with their descriptions if some do not. */
    static void check(ThreadSnapshot snapshot, CheckThreadLeaks config, String what, ExtensionContext context) {
        LeakCheck check = leakCheck(config);
        Optional<Throwable> failure = context.getExecutionException();
        if (failure.isPresent()) {
            // The verdict is in: waiting out the linger would only slow it down. What is alive now is
            // evidence for the failure, not a second one.
            List<LiveThread> alive = check.lookOnce(snapshot);
            if (!alive.isEmpty()) {
                String report = alive.size() + " thread(s) also still alive when the test failed, not waited for:\n"
                        + Threads.describeAll(alive);
                failure.get().addSuppressed(new AssertionError(report + check.interrupt(alive, what)));
            }
            return;
        }
        List<LiveThread> leaked = check.awaitEnd(snapshot);
        if (leaked.isEmpty()) {
            return;
        }
        String report = leaked.size() + " thread(s) leaked by " + what + ", still alive "
                + config.lingerMillis() + " ms after it ended:\n" + Threads.describeAll(leaked);
        report += check.interrupt(leaked, what);
        act(config, report, context);
    }

    /** Before a test: zombies of earlier tests fail it (or are warned about) rather than muddle it. */
    private static void refuseZombies(CheckThreadLeaks config, ExtensionContext context) {
        String zombies = Zombies.check();
        if (!zombies.isEmpty()) {
            act(config, zombies + "This test did not run: it could not tell its threads from theirs.", context);
        }
    }

    private static void act(CheckThreadLeaks config, String report, ExtensionContext context) {
        if (config.action() == CheckThreadLeaks.Action.WARN) {
            System.err.println("WARNING (@CheckThreadLeaks action = WARN): " + report);
            context.publishReportEntry("thread-leak", report);
            return;
        }
        throw new AssertionError(report);
    }

    static LeakCheck leakCheck(CheckThreadLeaks config) {
        Predicate<LiveThread> ignore = t -> false;
        for (String regex : config.ignore()) {
            ignore = ignore.or(LeakCheck.namesMatching(regex));
        }
        for (Class<? extends Predicate<Thread>> c : config.ignoreWhen()) {
            try {
                ignore = ignore.or(LeakCheck.onThread(c.getDeclaredConstructor().newInstance()));
            } catch (ReflectiveOperationException e) {
                throw new ExtensionConfigurationException("cannot create " + c.getName(), e);
            }
        }
        if (config.ignoreTopFrame().length > 0) {
            ignore = ignore.or(LeakCheck.topFrameIn(config.ignoreTopFrame()));
        }
        if (config.ignoreAnyFrame().length > 0) {
            ignore = ignore.or(LeakCheck.anyFrameIn(config.ignoreAnyFrame()));
        }
        return new LeakCheck(config.lingerMillis(), config.ignoreJvmAndToolThreads(), ignore,
                config.interruptLeaked(), config.zombieMillis());
    }

    /**
     * One line, once per build: a leak the checker cannot see should not pass for no leak. Once per JVM
     * would repeat it in every module's test JVM, where a newcomer reads a dozen of them as errors, so the
     * JVMs that one build (one parent process) starts agree through a marker file.
     */
    static void sayOnceWhatItCannotSee() {
        whatItCannotSee().filter(line -> TOLD_WHAT_IT_CANNOT_SEE.compareAndSet(false, true))
                .filter(line -> firstInThisBuild())
                .ifPresent(System.err::println);
    }

    private static boolean firstInThisBuild() {
        return toldMarker().map(marker -> {
            try {
                java.nio.file.Files.createFile(marker);
                return true;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                return false;
            } catch (java.io.IOException | RuntimeException e) {
                return true;
            }
        }).orElse(true);
    }

    /** The file that says the line was printed in this build: one per parent process. */
    private static Optional<java.nio.file.Path> toldMarker() {
        return ProcessHandle.current().parent().map(parent -> java.nio.file.Path.of(
                System.getProperty("java.io.tmpdir"), "flushkata-leakcheck-told-" + parent.pid()));
    }

    static Optional<String> whatItCannotSee() {
        if (!Threads.canSeeVirtualThreads()) {
            return Optional.of("@CheckThreadLeaks: Java " + Runtime.version().feature()
                    + " cannot list virtual threads (21+ can); checking platform threads only");
        }
        if ("false".equals(System.getProperty("jdk.trackAllThreads"))) {
            return Optional.of("@CheckThreadLeaks: -Djdk.trackAllThreads=false keeps virtual threads that no "
                    + "executor started out of the thread dump; the checker cannot see those");
        }
        return Optional.empty();
    }

    /** Self-tests see the line again. */
    static void forgetWhatItSaid() {
        TOLD_WHAT_IT_CANNOT_SEE.set(false);
        toldMarker().ifPresent(marker -> marker.toFile().delete());
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
