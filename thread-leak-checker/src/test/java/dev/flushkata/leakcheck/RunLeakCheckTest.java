package dev.flushkata.leakcheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/** The run-level check, through a launcher of its own that loads RunLeakCheck from META-INF/services. */
class RunLeakCheckTest {

    /** No annotation: only the run-level check can catch it. */
    static class LeavesAThreadUnchecked {
        @Test
        void leavesAThreadWaiting() {
            ThreadLeakExtensionTest.startWaiting("sample-run-1");
        }
    }

    @AfterEach
    void cleanUp() {
        ThreadLeakExtensionTest.releaseSamples();
    }

    /** Runs the sample in a new launcher session, with the given configuration parameters; returns the session. */
    static LauncherSession runSample(String... keyValues) {
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(LeavesAThreadUnchecked.class));
        for (int i = 0; i < keyValues.length; i += 2) {
            request.configurationParameter(keyValues[i], keyValues[i + 1]);
        }
        LauncherSession session = LauncherFactory.openSession();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        session.getLauncher().execute(request.build(), summary);
        assertThat(summary.getSummary().getTestsSucceededCount()).as("the test itself passes").isEqualTo(1);
        return session;
    }

    @Test
    void whenOnAThreadThatOutlivesTheRunFailsTheSessionWithItsStack() {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stderr = System.err;
        System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        LauncherSession session;
        try {
            session = runSample(RunLeakCheck.ENABLED, "true", RunLeakCheck.LINGER, "300");
        } finally {
            System.setErr(stderr);
        }

        assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8)).as("also on stderr")
                .contains("1 thread(s) leaked by the test run", "\"sample-run-1\"");
        assertThatThrownBy(session::close).isInstanceOf(AssertionError.class).hasMessageContainingAll(
                "1 thread(s) leaked by the test run, still alive 300 ms after its last test ended",
                "\"sample-run-1\" state=WAITING", "ThreadLeakExtensionTest.lambda$startWaiting");
        assertThat(ThreadLeakExtensionTest.samplesAlive()).as("interrupted").isZero();
    }

    @Test
    void ignoresNamesItIsToldToIgnore() {
        LauncherSession session = runSample(RunLeakCheck.ENABLED, "true", RunLeakCheck.LINGER, "300",
                RunLeakCheck.IGNORE, "sample-run-\\d+");

        session.close();
        assertThat(ThreadLeakExtensionTest.samplesAlive()).isEqualTo(1);
    }

    @Test
    void offByDefault() {
        LauncherSession session = runSample();

        session.close();
        assertThat(ThreadLeakExtensionTest.samplesAlive()).as("not checked, not interrupted").isEqualTo(1);
    }
}
