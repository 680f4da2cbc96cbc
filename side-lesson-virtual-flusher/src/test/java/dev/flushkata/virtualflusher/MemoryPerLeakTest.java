package dev.flushkata.virtualflusher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What one leaked flusher keeps, virtual against lesson-01's platform thread: LeakCost, run in a JVM of
 * its own for each kind (10,000 leaks, heap after GC plus NMT's native growth). Memory, not time: the
 * verdict does not depend on the machine's speed.
 */
class MemoryPerLeakTest {

    static final int N = 10_000;
    static final Pattern PER_LEAK = Pattern.compile("per leak (\\d+) bytes");

    @Test
    void aLeakedVirtualFlusherCostsFarLessThanAPlatformOneButIsStillALeak() throws Exception {
        String virtual = leakCost("virtual");
        String platform = leakCost("platform");
        System.out.println(virtual);
        System.out.println(platform);

        long v = perLeak(virtual);
        long p = perLeak(platform);
        assertThat(v).as("a parked virtual thread keeps its Thread, its stack chunk and its writer").isGreaterThan(1_000);
        assertThat(p).as("a platform thread also keeps a native stack and the JVM's thread structures")
                .isGreaterThan(4 * v);
    }

    static long perLeak(String line) {
        Matcher m = PER_LEAK.matcher(line);
        assertThat(m.find()).as(line).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** LeakCost's one line for kind, from a JVM of its own. */
    static String leakCost(String kind) throws IOException, InterruptedException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:NativeMemoryTracking=summary", "-XX:+UseSerialGC", "-Xms512m", "-Xmx512m",
                // JDK 21's dump has no thread states: the handles give them
                "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED",
                "-Dleakcost.nmt=" + Boolean.getBoolean("leakcost.nmt"),
                "-cp", classPath, LeakCost.class.getName(), kind, Integer.toString(N))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (Boolean.getBoolean("leakcost.nmt")) {
            System.out.println(out); // -Dleakcost.nmt=true: the whole NMT diff, to check the figures by hand
        }
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("LeakCost %s ended", kind).isTrue();
        assertThat(p.exitValue()).as("LeakCost %s:%n%s", kind, out).isZero();
        return out.lines().filter(l -> l.startsWith(kind + ":")).findFirst().orElseThrow(
                () -> new AssertionError("no figures from LeakCost " + kind + ":\n" + out));
    }
}
