package dev.flushkata.plumbing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;

/**
 * A loopback port that refuses every connection for as long as this is open: bound, never listening.
 * A port merely found free and closed again can be taken by any other process (a parallel build's server)
 * before the test connects to it, and then the "unreachable" backend answers, or hangs.
 */
public final class ClosedPort implements AutoCloseable {

    private final Socket reserved = new Socket();

    public ClosedPort() {
        try {
            reserved.bind(Server.loopback(0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** http://127.0.0.1:port: connecting there is refused at once. */
    public URI url() {
        return URI.create("http://" + Server.hostPort(Server.loopback(reserved.getLocalPort())));
    }

    @Override
    public void close() throws IOException {
        reserved.close();
    }
}
