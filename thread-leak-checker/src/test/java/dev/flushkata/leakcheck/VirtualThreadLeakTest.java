package dev.flushkata.leakcheck;

import static dev.flushkata.leakcheck.ThreadLeakExtensionTest.failure;
import static dev.flushkata.leakcheck.ThreadLeakExtensionTest.release;
import static dev.flushkata.leakcheck.ThreadLeakExtensionTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.platform.testkit.engine.Events;

/**
 * Virtual threads, which Thread.getAllStackTraces() leaves out. The module compiles for 17, so these
 * tests start them through reflection and run on 21+ only.
 */
@EnabledForJreRange(min = JRE.JAVA_21)
class VirtualThreadLeakTest {

    /** Thread.ofVirtual().name(name).start(task), reached by reflection. */
    static Thread startVirtual(String name, Runnable task) {
        try {
            Class<?> builder = Class.forName("java.lang.Thread$Builder");
            Object b = Thread.class.getMethod("ofVirtual").invoke(null);
            b = builder.getMethod("name", String.class).invoke(b, name);
            return (Thread) builder.getMethod("start", Runnable.class).invoke(b, task);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static Thread startVirtualWaiting(String name) {
        CountDownLatch latch = release;
        return startVirtual(name, () -> ThreadLeakExtensionTest.waitForRelease(latch));
    }

    @AfterEach
    void cleanUp() {
        VirtualThreads.useHandles = true;
        ThreadLeakExtensionTest.releaseSamples();
    }

    // ---- samples ----

    @CheckThreadLeaks(lingerMillis = 300)
    static class LeavesAVirtualThread {
        @Test
        void leavesAVirtualThreadParked() {
            ThreadLeakExtensionTest.awaitParked(startVirtualWaiting("sample-virtual-1"));
        }
    }

    @CheckThreadLeaks(lingerMillis = 300, zombieMillis = 60_000)
    static class LeavesAVirtualThreadWithoutHandles {
        @Test
        void leavesAVirtualThreadParked() {
            ThreadLeakExtensionTest.awaitParked(startVirtualWaiting("sample-virtual-2"));
        }
    }

    /** Virtual threads that end before the test does: the carriers and pollers they bring are the JDK's. */
    @CheckThreadLeaks(ignoreJvmAndToolThreads = false)
    static class UsesVirtualThreadsAndCleansUp {
        @Test
        void talksOverASocketFromVirtualThreads() throws Exception {
            try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                Thread echo = startVirtual("sample-echo", () -> {
                    try (Socket s = server.accept(); InputStream in = s.getInputStream();
                            OutputStream out = s.getOutputStream()) {
                        out.write(in.read());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                int[] answer = new int[1];
                Thread client = startVirtual("sample-client", () -> {
                    try (Socket s = new Socket(server.getInetAddress(), server.getLocalPort())) {
                        s.getOutputStream().write(42);
                        answer[0] = s.getInputStream().read();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                client.join();
                echo.join();
                assertThat(answer[0]).isEqualTo(42);
            }
        }
    }

    // ---- the checks ----

    @Test
    void failsATestThatLeavesAVirtualThreadAndNamesItWithItsStack() {
        Events events = run(LeavesAVirtualThread.class);

        events.assertStatistics(s -> s.started(1).failed(1));
        assertThat(failure(events.failed().stream().findFirst().orElseThrow())).hasMessageContainingAll(
                "1 thread(s) leaked by LeavesAVirtualThread.leavesAVirtualThreadParked()",
                "\"sample-virtual-1\" #", " virtual state=WAITING daemon=true",
                "java.util.concurrent.CountDownLatch.await(",
                "dev.flushkata.leakcheck.ThreadLeakExtensionTest.waitForRelease(",
                "java.lang.VirtualThread.run(")
                .hasMessageNotContaining("Not interrupted");
        await("the leaked virtual thread was interrupted").atMost(Duration.ofSeconds(30))
                .until(() -> Threads.virtualThreads().stream().noneMatch(t -> t.name().equals("sample-virtual-1")));
    }

    @Test
    void withoutHandlesItStillReportsAVirtualThreadAndSaysWhyItCannotInterruptIt() {
        VirtualThreads.useHandles = false; // as in a JVM without --add-exports java.base/jdk.internal.vm

        Events events = run(LeavesAVirtualThreadWithoutHandles.class);

        events.assertStatistics(s -> s.started(1).failed(1));
        assertThat(failure(events.failed().stream().findFirst().orElseThrow())).hasMessageContainingAll(
                "\"sample-virtual-2\" #", " virtual", // JDK 21's dump has no state to show without a handle
                "Not interrupted, 1 virtual thread(s) (\"sample-virtual-2\" #",
                "--add-exports java.base/jdk.internal.vm=ALL-UNNAMED");
        assertThat(Threads.virtualThreads()).as("still there").anyMatch(t -> t.name().equals("sample-virtual-2"));
    }

    @Test
    void virtualThreadsThatEndInTimePassAndTheJdksCarriersAndPollersAreNotBlamed() {
        run(UsesVirtualThreadsAndCleansUp.class).assertStatistics(s -> s.started(1).succeeded(1));

        // The carriers exist now, whichever test made them; the JDK's own, every one.
        assertThat(Threads.all()).filteredOn(t -> t.name().matches("ForkJoinPool-\\d+-worker-\\d+")).isNotEmpty()
                .allMatch(Threads::isJdkOwn);
        assertThat(Threads.all()).filteredOn(t -> t.name().matches(
                "VirtualThread-un(parker|blocker)|Read-Poller|Write-Poller|MasterPoller|SubPoller-\\d+"))
                .allMatch(Threads::isJdkOwn);
    }

    @Test
    void theVirtualThreadViewSeesWhatGetAllStackTracesLeavesOut() {
        Thread t = startVirtualWaiting("sample-seen-1");
        ThreadLeakExtensionTest.awaitParked(t);

        assertThat(Thread.getAllStackTraces().keySet()).doesNotContain(t);
        assertThat(Threads.virtualThreads()).filteredOn(v -> v.name().equals("sample-seen-1")).singleElement()
                .satisfies(v -> {
                    assertThat(v.id()).isEqualTo(t.getId());
                    assertThat(v.isVirtual()).isTrue();
                    assertThat(v.state()).isEqualTo("WAITING");
                    assertThat(v.thread()).as("handle, thanks to --add-exports").containsSame(t);
                    assertThat(v.hasFrame("java.util.concurrent.CountDownLatch.await")).isTrue();
                });
        assertThat(ThreadSnapshot.take().newLiveThreads(x -> false)).noneMatch(v -> v.name().equals("sample-seen-1"));
    }
}
