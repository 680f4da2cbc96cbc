package dev.flushkata.leakcheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

class LeakCheckTest {

    /**
     * Backoff: looks at once, then after 1, 2, 4 ... ms, at most 100 ms apart, and stops at the deadline.
     * Sleeps never end early, so a slow machine only looks fewer times: the bound holds on any machine.
     */
    @Test
    void pollsQuicklyAtFirstThenBacksOffAndStopsAtTheDeadline() {
        List<Long> looks = new ArrayList<>();
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(300);

        boolean done = LeakCheck.pollUntil(() -> {
            looks.add(System.nanoTime());
            return false;
        }, deadline);

        assertThat(done).isFalse();
        assertThat(looks.get(looks.size() - 1)).as("the last look is at the deadline, not before")
                .isGreaterThanOrEqualTo(deadline);
        // 0, 1, 3, 7, 15, 31, 63, 127, 227 ms, then the deadline: 10 looks; a fixed 20 ms poll makes 16
        assertThat(looks).hasSizeBetween(2, 11);
    }

    @Test
    void stopsAtTheFirstLookThatSucceeds() {
        int[] looks = new int[1];

        boolean done = LeakCheck.pollUntil(() -> ++looks[0] == 3, System.nanoTime() + TimeUnit.HOURS.toNanos(1));

        assertThat(done).isTrue();
        assertThat(looks[0]).isEqualTo(3);
    }

    @Test
    void anInterruptDoesNotCutTheWaitShortAndIsKept() {
        Thread.currentThread().interrupt();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);

        LeakCheck.pollUntil(() -> false, deadline);

        assertThat(System.nanoTime()).isGreaterThanOrEqualTo(deadline);
        assertThat(Thread.interrupted()).as("interrupt flag set again").isTrue();
    }

    @Test
    @EnabledForJreRange(max = JRE.JAVA_20)
    void onJdk17ItSaysOnceOnStderrThatItCannotSeeVirtualThreads() {
        assertThat(printedBySayingTwice()).hasLineCount(1)
                .startsWith("@CheckThreadLeaks: Java 17 cannot list virtual threads (21+ can)");
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void onJdk21AndLaterItHasNothingToSay() {
        assertThat(Threads.canSeeVirtualThreads()).isTrue();
        assertThat(printedBySayingTwice()).isEmpty();
    }

    private static String printedBySayingTwice() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            ThreadLeakExtension.forgetWhatItSaid();
            ThreadLeakExtension.sayOnceWhatItCannotSee();
            ThreadLeakExtension.sayOnceWhatItCannotSee();
        } finally {
            System.setErr(stderr);
        }
        return err.toString(StandardCharsets.UTF_8);
    }
}
