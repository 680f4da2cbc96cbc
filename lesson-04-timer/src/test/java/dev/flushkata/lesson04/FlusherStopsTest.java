package dev.flushkata.lesson04;

import dev.flushkata.plumbing.ProxyFactory;
import dev.flushkata.testkit.FlusherStopsContract;

/** The regression suite for the leak still passes after the refactoring. */
class FlusherStopsTest extends FlusherStopsContract {

    @Override
    protected ProxyFactory factory() {
        return ReverseProxy::new;
    }
}
