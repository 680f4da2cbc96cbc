package dev.flushkata.lesson04;

/** HostileInputTest with slow streams that have a Content-Length: flushed by the timer, not every write. */
class HostileInputKnownLengthTest extends HostileInputTest {

    @Override
    protected String streamLength() {
        return "&length=true";
    }
}
