package dev.flushkata.lesson01;

import dev.flushkata.plumbing.ProxyFactory;
import dev.flushkata.testkit.Flushers;
import dev.flushkata.testkit.ReverseProxyContract;
import org.junit.jupiter.api.AfterEach;

/** lesson-01 is a working proxy; only its flushers outlive their responses, and are cleaned up here. */
class ReverseProxyTest extends ReverseProxyContract {

    @Override
    protected ProxyFactory factory() {
        return ReverseProxy::new;
    }

    @AfterEach
    void stopLeakedFlushers() {
        Flushers.stopLeaked();
    }
}
