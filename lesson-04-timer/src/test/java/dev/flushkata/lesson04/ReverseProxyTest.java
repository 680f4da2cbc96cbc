package dev.flushkata.lesson04;

import dev.flushkata.plumbing.ProxyFactory;
import dev.flushkata.testkit.ReverseProxyContract;

/** lesson-03 behaves as lesson-02 did: the refactoring changed no behaviour. */
class ReverseProxyTest extends ReverseProxyContract {

    @Override
    protected ProxyFactory factory() {
        return ReverseProxy::new;
    }
}
