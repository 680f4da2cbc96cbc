package dev.flushkata.lesson04;

import dev.flushkata.plumbing.ProxyFactory;
import dev.flushkata.testkit.HostileInputContract;

/** Bad requests get a clear refusal and reach no backend. */
class HostileInputTest extends HostileInputContract {

    @Override
    protected ProxyFactory factory() {
        return ReverseProxy::new;
    }
}
