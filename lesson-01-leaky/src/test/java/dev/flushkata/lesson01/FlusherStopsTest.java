package dev.flushkata.lesson01;

import dev.flushkata.plumbing.ProxyFactory;
import dev.flushkata.testkit.FlusherStopsContract;
import dev.flushkata.testkit.ProxyFixture;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * The exercise: the regression suite that lesson-02 passes, against this lesson. It fails until the
 * leak is fixed, so it runs only in exercise mode (see the README), never in the default build.
 */
@Tag("exercise")
class FlusherStopsTest extends FlusherStopsContract {

    /**
     * A few streamed responses before the leak checks look: whatever a design makes once and shares across
     * responses (one timer thread for every writer) exists from then on, so the checks count only what
     * grows with responses, the leak. A thread per response still shows up in every test.
     */
    @BeforeAll
    static void warmUp() throws Exception {
        try (ProxyFixture fx = ProxyFixture.start("warm-up", ReverseProxy::new, Duration.ofMillis(1))) {
            for (int i = 0; i < 3; i++) {
                fx.getBytes("/stream?chunks=3&size=100&delayMs=2");
            }
        }
    }

    @Override
    protected ProxyFactory factory() {
        return ReverseProxy::new;
    }
}
