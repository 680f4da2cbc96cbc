package dev.flushkata.lesson04;

import dev.flushkata.plumbing.ProxyFactory;
import dev.flushkata.testkit.HostileInputContract;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Bad requests get a clear refusal and reach no backend; what is left of a reset stream is no delayed flush. */
class HostileInputTest extends HostileInputContract {

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
        return proxies.stream().mapToInt(ReverseProxy::pendingFlushes).sum();
    }
}
