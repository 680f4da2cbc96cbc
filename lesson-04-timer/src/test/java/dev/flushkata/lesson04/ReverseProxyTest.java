package dev.flushkata.lesson04;

import dev.flushkata.plumbing.ProxyFactory;
import dev.flushkata.testkit.ReverseProxyContract;

/** lesson-04 is still the same proxy; only a body of unknown length is now flushed even without an interval (ChunkTimingTest). */
class ReverseProxyTest extends ReverseProxyContract {

    @Override
    protected ProxyFactory factory() {
        return ReverseProxy::new;
    }

    @Override
    protected boolean flushesUnknownLengthAtOnce() {
        return true;
    }
}
