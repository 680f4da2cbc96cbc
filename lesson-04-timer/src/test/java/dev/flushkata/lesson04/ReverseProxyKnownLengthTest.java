package dev.flushkata.lesson04;

/** ReverseProxyTest on slow streams with a Content-Length: flushed by the timer, and not at all at interval 0. */
class ReverseProxyKnownLengthTest extends ReverseProxyTest {

    @Override
    protected String streamLength() {
        return "&length=true";
    }
}
