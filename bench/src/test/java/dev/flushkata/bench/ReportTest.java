package dev.flushkata.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {

    /** Two rounds of 1 s each, added up; cpuMicros and threads per request. */
    private static TargetFigures figures(String target, String flush, long tinyRequests, long cpuMicros, long threads) {
        TargetFigures f = new TargetFigures(target, flush);
        long perRound = tinyRequests / 2;
        f.add(Body.TINY, new Throughput(perRound, 0, 1_000_000_000L, cpuMicros * 1000 * perRound, 30, 10, threads / 2));
        f.add(Body.TINY, new Throughput(perRound, 0, 1_000_000_000L, cpuMicros * 1000 * perRound, 30, 30, threads / 2));
        f.memory(400 * 1024, 470 * 1024);
        return f;
    }

    @Test
    void eachTargetIsComparedWithDirectInTheSameRun() {
        TargetFigures direct = figures("direct", "-", 6000, 47, 0);
        TargetFigures lesson = figures("lesson-02-fixed", "100ms", 1800, 880, 1800);
        lesson.addDelays(StreamKind.CHUNKED, new long[] {1_000_000, 99_000_000, 50_000_000});

        Table t = new Report(List.of("machine: test"), List.of(direct, lesson), List.of(Body.TINY), 16).throughput();

        assertThat(t.text()).isEqualTo("""
                target           flush  body  req/s  x direct  CPU us/req  kernel %  threads/req  failed
                direct           -      tiny   3000      1.00          47        40         0.00       0
                lesson-02-fixed  100ms  tiny    900      0.30         880        40         1.00       0
                """);
    }

    @Test
    void memoryAndChunkDelaysInMebibytesAndMilliseconds() {
        TargetFigures lesson = figures("lesson-02-fixed", "100ms", 2, 1, 0);
        lesson.addDelays(StreamKind.CHUNKED, new long[] {1_000_000, 99_000_000, 50_000_000});
        lesson.addDelays(StreamKind.EVENTS, new long[] {2_000_000});
        lesson.streamFailed();

        Table t = new Report(List.of(), List.of(lesson), List.of(Body.TINY), 16).memoryAndDelay();

        assertThat(t.markdown()).isEqualTo("""
                | target | flush | RSS MiB | peak MiB | chunk delay p50 ms | max ms | with length p50 ms | max ms | events p50 ms | max ms | failed |
                | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
                | lesson-02-fixed | 100ms | 400 | 470 | 50.0 | 99.0 | - | - | 2.0 | 2.0 | 1 |
                """);
    }

    @Test
    void unknownFiguresShowAsADash() {
        Throughput unknown = new Throughput(10, 0, 1_000_000_000L, 0, 1, 1, 5).plus(new Throughput(10, 0, 1, 0, -1, 1, -1));

        assertThat(Report.fixed(unknown.threadsPerRequest(), 2)).isEqualTo("-");
        assertThat(Report.fixed(unknown.kernelPercent(), 0)).isEqualTo("-");
        assertThat(Report.fixed(Throughput.NONE.perSecond(), 0)).isEqualTo("-");
        assertThat(Report.fixed(1.005, 1)).isEqualTo("1.0");
    }

    @Test
    void theMarkdownSaysWhatRunItIs() {
        String md = new Report(List.of("machine: 2 cores", "load average: 0.5"),
                List.of(figures("direct", "-", 2, 1, 0)), List.of(Body.TINY), 16).markdown();

        assertThat(md).startsWith("# Bench run\n\n- machine: 2 cores\n- load average: 0.5\n\n## Throughput\n")
                .contains("16 requests in flight").contains("## Memory and streaming");
    }
}
