package dev.flushkata.lesson04;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flushkata.leakcheck.CheckThreadLeaks;
import dev.flushkata.testkit.Deadlines;
import dev.flushkata.testkit.Flushers;
import dev.flushkata.testkit.ProxyFixture;
import dev.flushkata.testkit.RawHttp;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Why Go's first version of the test was flaky (a6d4471b, "Made reverseproxy test less flaky"): a
 * client can hold the whole response while the handler has yet to reach its finally, so a count of
 * threads sampled once, right after the response, may include flushers that are about to end.
 * This test measures how often that happens here and prints it; what it asserts is the robust form.
 */
@CheckThreadLeaks(ignore = Flushers.JDK_CLIENT_THREADS)
class ThreadCountSamplingTest {

    static final int REQUESTS = 300;

    @Test
    void aCountSampledOnceIsFlakyAPolledCountSettles() throws Exception {
        try (ProxyFixture fx = ProxyFixture.start("sampling", ReverseProxy::new, FlushIntervalTest.TINY)) {
            int before = Flushers.count();
            int aboveBaseline = 0;
            int maxAbove = 0;
            for (int i = 0; i < REQUESTS; i++) {
                assertThat(RawHttp.exchange(fx.proxy().url(), RawHttp.get("/")).bodyText()).isEqualTo("hi");
                int sampled = Flushers.count() - before; // the flaky way: one sample, no waiting
                if (sampled > 0) {
                    aboveBaseline++;
                    maxAbove = Math.max(maxAbove, sampled);
                }
            }
            System.out.printf("sampled once after each of %d responses, the flusher count was above its "
                    + "baseline %d times (at most +%d)%n", REQUESTS, aboveBaseline, maxAbove);

            long start = System.nanoTime();
            await("flusher threads back to " + before).atMost(Deadlines.FAULT_FREE)
                    .pollInterval(Duration.ofMillis(1)).until(Flushers::count, n -> n <= before);
            System.out.printf("polled until it settled: back to the baseline after %.1f ms%n",
                    (System.nanoTime() - start) / 1e6);
        }
    }
}
