package dev.flushkata.lesson04;

import dev.flushkata.plumbing.ProxyFactory;
import dev.flushkata.testkit.FlusherStopsContract;
import dev.flushkata.testkit.Flushers;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The regression suite for the leak, on the timer design: no flusher thread at all, and every delayed
 * flush a response armed is done or cancelled when the response ends.
 */
class FlusherStopsTest extends FlusherStopsContract {

    private final List<ReverseProxy> proxies = new CopyOnWriteArrayList<>();

    @Override
    protected ProxyFactory factory() {
        return (backend, flushInterval, stats) -> {
            ReverseProxy p = new ReverseProxy(backend, flushInterval, stats);
            proxies.add(p);
            return p;
        };
    }

    @Override
    protected int liveFlushWork() {
        return Flushers.count() + proxies.stream().mapToInt(ReverseProxy::pendingFlushes).sum();
    }

    @Override
    protected String liveFlushWorkIs() {
        return "delayed flush(es) or flusher thread(s) still pending";
    }
}
