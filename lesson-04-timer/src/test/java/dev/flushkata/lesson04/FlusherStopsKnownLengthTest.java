package dev.flushkata.lesson04;

/** FlusherStopsTest on bodies with a Content-Length: the ones this lesson's timer flushes, not every write. */
class FlusherStopsKnownLengthTest extends FlusherStopsTest {

    @Override
    protected String streamLength() {
        return "&length=true";
    }
}
