package dev.flushkata.plumbing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * A backend that accepts connections and never answers: the too-slow fault with a delay infinitely longer
 * than any timeout, so the proxy's 504 cannot depend on how fast this machine is. It holds sockets, not
 * threads, until closed.
 */
public final class SilentBackend implements AutoCloseable {

    private final ServerSocket listener;
    private final List<Socket> held = new ArrayList<>();
    private final Thread acceptor;

    private SilentBackend(ServerSocket listener) {
        this.listener = listener;
        this.acceptor = Server.daemonThreads("silent-backend-").newThread(this::acceptForever);
        acceptor.start();
    }

    public static SilentBackend start() {
        try {
            return new SilentBackend(new ServerSocket(0, 128, Server.loopback(0).getAddress()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    private void acceptForever() {
        try {
            while (true) {
                Socket s = listener.accept();
                synchronized (held) {
                    held.add(s);
                }
            }
        } catch (IOException closed) {
            // close() closed the listener: done
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        synchronized (held) {
            for (Socket s : held) {
                s.close();
            }
        }
        try {
            acceptor.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
