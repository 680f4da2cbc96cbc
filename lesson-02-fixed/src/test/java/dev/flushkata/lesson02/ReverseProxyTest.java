package dev.flushkata.lesson02;

import dev.flushkata.plumbing.ProxyFactory;
import dev.flushkata.testkit.ReverseProxyContract;

/** lesson-02 is a working proxy, and leaves no thread behind (the contract's leak check). */
class ReverseProxyTest extends ReverseProxyContract {

    @Override
    protected ProxyFactory factory() {
        return ReverseProxy::new;
    }
}
