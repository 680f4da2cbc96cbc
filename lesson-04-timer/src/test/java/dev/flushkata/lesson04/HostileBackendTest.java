package dev.flushkata.lesson04;

import dev.flushkata.plumbing.ProxyFactory;
import dev.flushkata.testkit.HostileBackendContract;

/** A backend that breaks the rules gets its client a 502 or an abort, and holds nothing. */
class HostileBackendTest extends HostileBackendContract {

    @Override
    protected ProxyFactory factory() {
        return ReverseProxy::new;
    }
}
