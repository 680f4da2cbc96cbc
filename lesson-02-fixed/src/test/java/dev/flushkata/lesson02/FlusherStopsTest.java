package dev.flushkata.lesson02;

import dev.flushkata.plumbing.ProxyFactory;
import dev.flushkata.testkit.FlusherStopsContract;

/** The regression suite for the leak, which this lesson's try/finally makes pass. */
class FlusherStopsTest extends FlusherStopsContract {

    @Override
    protected ProxyFactory factory() {
        return ReverseProxy::new;
    }
}
