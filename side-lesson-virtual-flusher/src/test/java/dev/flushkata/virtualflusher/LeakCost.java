package dev.flushkata.virtualflusher;

import dev.flushkata.leakcheck.Threads;
import dev.flushkata.lesson01.PlatformFlusher;
import dev.flushkata.plumbing.ProxyStats;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * Run in a JVM of its own by MemoryPerLeakTest: leaks n flushers of one kind ("platform": lesson-01's,
 * "virtual": the side lesson's), each parked in its hour-long wait, and prints what they keep: the heap
 * still used after a full GC, and the native memory Native Memory Tracking sees, both as growth over a
 * baseline taken after one warm-up leak. The JVM runs with -XX:NativeMemoryTracking=summary, SerialGC
 * and a fixed heap, so the figures are the leak's and not the collector's.
 */
public final class LeakCost {

    static final List<String> NOT_PER_THREAD = List.of("Java Heap", "Native Memory Tracking", "Code", "Compiler",
            "Arena Chunk", "Class", "Symbol");

    static final Duration HOUR = Duration.ofHours(1); // parked between flushes for the whole measurement

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        int n = Integer.parseInt(args[1]);
        ProxyStats stats = new ProxyStats("leak-cost").quiet();
        List<OutputStream> leaked = new ArrayList<>(n + 1); // they are leaked anyway; kept, to weigh the same for both kinds

        leaked.add(leak(kind, stats)); // warm-up: classes, carriers, the scheduler's timer are in the baseline
        awaitParked(1);
        long heapBefore = heapUsedAfterGc();
        nmt("baseline");

        for (int i = 0; i < n; i++) {
            leaked.add(leak(kind, stats));
        }
        awaitParked(n + 1);
        long heap = heapUsedAfterGc() - heapBefore;
        String diff = nmt("summary.diff");
        // The heap counts as used after GC (its committed size is fixed). Left out of the native growth:
        // NMT's own bookkeeping (the measurement's cost), and what the JIT and class loading add meanwhile
        // (shared, not per thread, and noisy): Code, Compiler, Arena Chunk, Class, Symbol.
        long nativeTotal = committedDiffKb(diff, "Total");
        for (String notTheLeaks : NOT_PER_THREAD) {
            nativeTotal -= committedDiffKb(diff, notTheLeaks);
        }

        System.out.printf("%s: %d leaked flushers, parked; heap after GC +%d KiB, native (NMT committed) +%d KiB;"
                + " per leak %d bytes%n", kind, n, heap / 1024, nativeTotal, (heap + nativeTotal * 1024) / n);
        if (Boolean.getBoolean("leakcost.nmt")) {
            System.out.println(diff); // the whole diff, to check the figures by hand
        }
        System.out.flush();
        Runtime.getRuntime().halt(0); // no shutdown work among 10,000 threads
    }

    static OutputStream leak(String kind, ProxyStats stats) throws Exception {
        return kind.equals("platform") ? PlatformFlusher.leakOne(HOUR, stats) : VirtualFlusher.leakOne(HOUR, stats);
    }

    /** Until every flusher waits in its timed park: counted through the checker's view of both kinds. */
    static void awaitParked(int n) throws InterruptedException {
        long pause = 1;
        while (Threads.all().stream().filter(t -> t.name().startsWith("max-latency-flusher-")
                && t.state().equals("TIMED_WAITING")).count() < n) {
            Thread.sleep(pause);
            pause = Math.min(pause * 2, 200);
        }
    }

    static long heapUsedAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static String nmt(String what) throws Exception {
        return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                new Object[] {new String[] {what}}, new String[] {String[].class.getName()});
    }

    /** From a summary.diff: the committed growth of one category, in KiB ("committed=123KB +45KB"). */
    static long committedDiffKb(String diff, String category) {
        Matcher m = Pattern.compile("(?m)^\\s*-?\\s*" + Pattern.quote(category)
                + "\\s*\\(?:?\\s*reserved=\\d+KB(?: [+-]\\d+KB)?, committed=\\d+KB(?: ([+-]\\d+)KB)?").matcher(diff);
        if (!m.find()) {
            return 0; // categories under 1 KB are left out of the summary
        }
        return m.group(1) == null ? 0 : Long.parseLong(m.group(1));
    }

    private LeakCost() {
    }
}
