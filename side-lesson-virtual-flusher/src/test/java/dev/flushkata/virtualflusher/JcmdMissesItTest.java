package dev.flushkata.virtualflusher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flushkata.leakcheck.CheckThreadLeaks;
import dev.flushkata.plumbing.ProxyStats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command lesson-01's README counts flushers with finds none here; the JSON dump finds them. */
@CheckThreadLeaks
class JcmdMissesItTest {

    static final int N = 20;

    @AfterEach
    void cleanUp() {
        VirtualFlushers.stopLeaked();
    }

    @Test
    void jcmdThreadPrintListsNoVirtualFlusherButThreadDumpToFileDoes(@TempDir Path dir) throws Exception {
        ProxyStats stats = new ProxyStats("jcmd").quiet();
        List<Object> leaked = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            leaked.add(VirtualFlusher.leakOne(Duration.ofHours(1), stats));
        }
        await("the flushers are parked").atMost(Duration.ofSeconds(30)).until(() -> VirtualFlushers.live().stream()
                .filter(t -> t.state().equals("TIMED_WAITING")).count(), n -> n >= N);
        String pid = Long.toString(ProcessHandle.current().pid());

        String print = jcmd(pid, "Thread.print");
        assertThat(print).as("jcmd works: it lists this test's own thread")
                .contains("\"" + Thread.currentThread().getName() + "\"")
                .doesNotContain("max-latency-flusher-");

        Path json = dir.resolve("threads.json");
        jcmd(pid, "Thread.dump_to_file", "-format=json", json.toString());
        assertThat(Files.readString(json).split("\"max-latency-flusher-", -1)).as("named in the JSON dump")
                .hasSizeGreaterThan(N);
        assertThat(leaked).hasSize(N);
    }

    /** Runs the JDK's jcmd against pid; its output. */
    static String jcmd(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("jcmd ended").isTrue();
        assertThat(p.exitValue()).as("jcmd %s:%n%s", String.join(" ", args), out).isZero();
        return out;
    }
}
