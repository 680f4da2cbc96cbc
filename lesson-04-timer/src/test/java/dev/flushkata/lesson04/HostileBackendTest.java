package dev.flushkata.lesson04;

import static org.awaitility.Awaitility.await;

import dev.flushkata.plumbing.ProxyFactory;
import dev.flushkata.testkit.Deadlines;
import dev.flushkata.testkit.HostileBackendContract;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;

/**
 * A backend that breaks the rules gets its client a 502 or an abort, and holds nothing: the contract counts
 * flusher threads, which this lesson has none of, so after each test no delayed flush may be left either.
 */
class HostileBackendTest extends HostileBackendContract {

    private final List<ReverseProxy> proxies = new CopyOnWriteArrayList<>();

    @Override
    protected ProxyFactory factory() {
        return (backend, flushInterval, stats) -> {
            ReverseProxy p = new ReverseProxy(backend, flushInterval, stats);
            proxies.add(p);
            return p;
        };
    }

    /** Runs before the contract's own @AfterEach closes the proxies (which would empty their timers). */
    @AfterEach
    void noDelayedFlushLeft() {
        await("no delayed flush left once every response ended").atMost(Deadlines.FAULT_FREE)
                .pollInterval(Deadlines.BACKOFF)
                .until(() -> proxies.stream().mapToInt(ReverseProxy::pendingFlushes).sum() == 0);
    }
}
