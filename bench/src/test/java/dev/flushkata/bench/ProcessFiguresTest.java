package dev.flushkata.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the bench reads of a running JVM from outside: jcmd's counters and /proc's memory lines. */
class ProcessFiguresTest {

    @Test
    void threadsStartedFromJcmdsCounterList() {
        String out = """
                5447:
                java.threads.daemon=8
                java.threads.live=52
                java.threads.livePeak=52
                java.threads.started=72
                """;

        assertThat(PerfCounters.value(out, "java.threads.started")).isEqualTo(72);
        assertThat(PerfCounters.value(out, "java.threads.startedd")).isEqualTo(-1);
        assertThat(PerfCounters.value("5447:\ncom.sun.tools.attach.AttachNotSupportedException", "java.threads.started"))
                .isEqualTo(-1);
    }

    @Test
    void residentMemoryFromProcStatus() {
        String status = "Name:\tjava\nVmPeak:\t 6000000 kB\nVmHWM:\t  481234 kB\nVmRSS:\t  402112 kB\nThreads:\t52\n";

        assertThat(ProcStatus.kib(status, "VmRSS")).isEqualTo(402112);
        assertThat(ProcStatus.kib(status, "VmHWM")).isEqualTo(481234);
        assertThat(ProcStatus.kib("", "VmRSS")).isEqualTo(-1);
    }

    @Test
    void userAndKernelTicksFromProcStat() {
        String stat = "4242 (java main) S 1 4242 4242 0 -1 4194560 9597 0 0 0 1234 567 0 0 20 0 52 0 4000 6000 100";

        assertThat(ProcStatus.cpuTicks(stat)).containsExactly(1234, 567);
    }

    @Test
    void thisProcessHasAStatusOnLinux() {
        String status = ProcStatus.read(ProcessHandle.current().pid());

        assertThat(status.isEmpty() || ProcStatus.kib(status, "VmRSS") > 0).isTrue();
    }
}
