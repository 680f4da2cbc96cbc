package dev.flushkata.lesson01;

import dev.flushkata.plumbing.ProxyFactory;
import dev.flushkata.testkit.FlusherStopsContract;
import org.junit.jupiter.api.Tag;

/**
 * The exercise: the regression suite that lesson-02 passes, against this lesson. It fails until the
 * leak is fixed, so it runs only in exercise mode (see the README), never in the default build.
 */
@Tag("exercise")
class FlusherStopsTest extends FlusherStopsContract {

    @Override
    protected ProxyFactory factory() {
        return ReverseProxy::new;
    }
}
