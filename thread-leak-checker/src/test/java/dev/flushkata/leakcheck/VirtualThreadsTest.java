package dev.flushkata.leakcheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading the JVM's JSON thread dump, in both the JDK 21 and the JDK 25 shape. */
class VirtualThreadsTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "java.base/java.lang.VirtualThread.park(VirtualThread.java:742)",
        "java.base/jdk.internal.misc.Unsafe.park(Native Method)",
        "dev.example.Main.lambda$main$0(Main.java:8)",
        "app//dev.example.Main.run(Main.java:8)",
        "my-loader/my.module@1.2/dev.example.Main.run(Main.java)",
        "java.base/java.lang.invoke.LambdaForm$DMH/0x00007f0a2c00c000.invokeStatic(Unknown Source)",
        "dev.example.Main$$Lambda/0x00007f0a2c00d1f0.run(Unknown Source)",
    })
    void readsAFrameBackAsTheStackTraceElementThatPrintedIt(String text) {
        assertThat(VirtualThreads.frame(text)).hasToString(text);
    }

    @Test
    void tellsTheClassAndMethodOfAFrame() {
        StackTraceElement e = VirtualThreads.frame("java.base/java.util.concurrent.CountDownLatch.await(CountDownLatch.java:230)");

        assertThat(e.getModuleName()).isEqualTo("java.base");
        assertThat(LiveThread.frameName(e)).isEqualTo("java.util.concurrent.CountDownLatch.await");
        assertThat(e.getLineNumber()).isEqualTo(230);
    }

    /** JDK 25 says "virtual": true; JDK 21 does not, and a virtual thread's stack then ends in VirtualThread.run. */
    @Test
    void findsVirtualThreadsInDumpsOfEitherShape(@TempDir Path dir) throws Exception {
        Path dump = dir.resolve("dump.json");
        Files.writeString(dump, """
                {"threadDump": {"processId": "1", "threadContainers": [
                  {"container": "<root>", "parent": null, "owner": null, "threads": [
                    {"tid": "1", "name": "main", "stack": ["dev.example.Main.main(Main.java:3)"]},
                    {"tid": "23", "time": "x", "virtual": true, "name": "vt-\\"25\\"", "state": "WAITING",
                     "parkBlocker": {"object": "java.util.concurrent.CountDownLatch$Sync@42a48628"},
                     "stack": ["java.base\\/java.lang.VirtualThread.park(VirtualThread.java:742)",
                               "java.base\\/java.lang.VirtualThread.run(VirtualThread.java:460)"],
                     "monitorsOwned": [{"depth": 1, "locks": ["x"]}]},
                    {"tid": "24", "name": "vt-21", "stack": [
                      "java.base\\/java.lang.VirtualThread.park(VirtualThread.java:582)",
                      "java.base\\/java.lang.VirtualThread.run(VirtualThread.java:309)"]},
                    {"tid": "25", "name": "not-yet-run", "stack": []},
                    {"tid": "26", "name": "platform-started-just-now", "stack": []}
                  ], "threadCount": "5"}]}}
                """);

        List<VirtualThreads.DumpedThread> threads = VirtualThreads.parse(dump);

        assertThat(threads).extracting(d -> d.name)
                .containsExactly("main", "vt-\"25\"", "vt-21", "not-yet-run", "platform-started-just-now");
        Set<Long> platform = Set.of(1L, 26L);
        assertThat(threads).filteredOn(d -> d.isVirtual(platform)).extracting(d -> d.tid).containsExactly(23L, 24L, 25L);
        assertThat(threads.get(1).state).isEqualTo("WAITING");
        assertThat(threads.get(1).stack).hasSize(2);
    }
}
