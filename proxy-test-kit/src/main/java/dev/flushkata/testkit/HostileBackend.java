package dev.flushkata.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A raw-socket backend with per-request scripted behaviour, for what no HTTP server would send: broken
 * status lines, control characters in headers, misframed bodies, headers and then silence. One thread
 * serves every connection in turn: it reads the request head (and a Content-Length body), writes what the
 * script answers for that head, then hangs up, holds the connection, or serves the next request on it
 * (a kept-alive connection, meanwhile accepting no other). A held connection costs a socket, not a
 * thread; it stays open until the proxy closes its side, which {@link #openConnections()} notices, so a
 * backend connection the proxy leaks stays visible.
 */
public final class HostileBackend implements AutoCloseable {

    /**
     * What the backend does with one request: the bytes it answers, then whether it hangs up, or (next)
     * reads the next request on the same connection.
     */
    public record Reply(byte[] bytes, boolean hangUp, boolean next) {

        public Reply(byte[] bytes, boolean hangUp) {
            this(bytes, hangUp, false);
        }

        /** Answers raw (ISO-8859-1), then closes the connection. */
        public static Reply thenClose(String raw) {
            return new Reply(raw.getBytes(StandardCharsets.ISO_8859_1), true);
        }

        /** Answers raw (ISO-8859-1), then keeps the connection open until the proxy closes it. */
        public static Reply thenHold(String raw) {
            return new Reply(raw.getBytes(StandardCharsets.ISO_8859_1), false);
        }

        /**
         * Answers raw (ISO-8859-1), then serves the next request on the same connection: a kept-alive
         * connection. Meanwhile the backend accepts no other connection, so only for one client at a time,
         * whose next request surely goes on this connection.
         */
        public static Reply thenNext(String raw) {
            return new Reply(raw.getBytes(StandardCharsets.ISO_8859_1), false, true);
        }
    }

    private final ServerSocketChannel listener;
    private final Function<String, Reply> script;
    private final Thread acceptor;
    private final BlockingQueue<String> requestHeads = new LinkedBlockingQueue<>();
    private final List<SocketChannel> held = new ArrayList<>(); // guarded by itself
    private volatile SocketChannel current; // the connection being served: close() ends a blocked write
    private final AtomicInteger accepted = new AtomicInteger();
    private int closedByProxy; // guarded by held

    private HostileBackend(ServerSocketChannel listener, Function<String, Reply> script) {
        this.listener = listener;
        this.script = script;
        this.acceptor = new Thread(this::serve, "hostile-backend");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts a backend on loopback answering each request head (request line and headers) as script says. */
    public static HostileBackend start(Function<String, Reply> script) throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        return new HostileBackend(listener, script);
    }

    /** Answers every request with the same raw bytes (ISO-8859-1), then closes the connection. */
    public static HostileBackend answering(String raw) throws IOException {
        Reply reply = Reply.thenClose(raw);
        return start(head -> reply);
    }

    public URI url() throws IOException {
        return URI.create("http://127.0.0.1:" + ((InetSocketAddress) listener.getLocalAddress()).getPort());
    }

    /** The request heads received so far, oldest first, lines ending in LF. */
    public BlockingQueue<String> requestHeads() {
        return requestHeads;
    }

    /** How many held connections the proxy has closed so far (as {@link #openConnections()} sees now). */
    public int closedByProxy() {
        synchronized (held) {
            openConnections();
            return closedByProxy;
        }
    }

    /** How many connections the backend has accepted so far. */
    public int connectionsAccepted() {
        return accepted.get();
    }

    /**
     * Writes raw (ISO-8859-1) on every held connection the proxy has not closed: bytes no request asked
     * for. Returns the proxy-side port of each connection written to.
     */
    public List<Integer> writeToHeld(String raw) {
        openConnections(); // forgets those the proxy has closed
        List<Integer> ports = new ArrayList<>();
        synchronized (held) {
            for (SocketChannel ch : held) {
                ByteBuffer bytes = ByteBuffer.wrap(raw.getBytes(StandardCharsets.ISO_8859_1));
                try {
                    while (bytes.hasRemaining()) {
                        ch.write(bytes); // a few bytes on an idle connection: the socket buffer takes them at once
                    }
                    ports.add(((InetSocketAddress) ch.getRemoteAddress()).getPort());
                } catch (IOException reset) {
                    // the proxy closed it meanwhile: nobody can read them
                }
            }
        }
        return ports;
    }

    /**
     * The held connections the proxy has not closed yet. Closes those it has closed (their EOF has
     * arrived), so each call sees the proxy's side as it is now; poll it until it settles.
     */
    public int openConnections() {
        synchronized (held) {
            for (Iterator<SocketChannel> it = held.iterator(); it.hasNext(); ) {
                SocketChannel ch = it.next();
                if (peerClosed(ch)) {
                    closeQuietly(ch);
                    it.remove();
                    closedByProxy++;
                }
            }
            return held.size();
        }
    }

    private static boolean peerClosed(SocketChannel ch) {
        ByteBuffer sink = ByteBuffer.allocate(8192);
        try {
            int n;
            while ((n = ch.read(sink)) > 0) {
                sink.clear(); // whatever the proxy sent after the head: discarded
            }
            return n < 0;
        } catch (IOException reset) {
            return true;
        }
    }

    private void serve() {
        while (listener.isOpen()) {
            SocketChannel ch;
            try {
                ch = listener.accept();
            } catch (IOException closed) {
                return; // close() closed the listener
            }
            accepted.incrementAndGet();
            current = ch;
            boolean keep = false;
            try {
                if (!listener.isOpen()) {
                    return; // close() came between accept and current: finally closes ch
                }
                ch.socket().setSoTimeout((int) Deadlines.FAULT_FREE.toMillis());
                InputStream in = ch.socket().getInputStream();
                OutputStream out = ch.socket().getOutputStream();
                Reply reply = answer(in, out, readHead(in));
                while (reply.next()) {
                    String head = readHead(in);
                    if (head.isEmpty()) {
                        break; // the proxy closed the kept-alive connection
                    }
                    reply = answer(in, out, head);
                }
                if (!reply.hangUp() && !reply.next()) {
                    ch.configureBlocking(false);
                    synchronized (held) {
                        held.add(ch);
                    }
                    keep = true;
                }
            } catch (IOException | RuntimeException e) {
                // the proxy went away (or close() closed the connection): take the next one
            } finally {
                current = null;
                if (!keep) {
                    closeQuietly(ch);
                }
            }
        }
    }

    private Reply answer(InputStream in, OutputStream out, String head) throws IOException {
        requestHeads.add(head);
        skipBody(in, head);
        Reply reply = script.apply(head);
        out.write(reply.bytes());
        out.flush();
        return reply;
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String l = RawHttp.line(in); l != null && !l.isEmpty(); l = RawHttp.line(in)) {
            sb.append(l).append('\n');
        }
        return sb.toString();
    }

    /** Reads a Content-Length body to its end, so a reply comes only after the whole request. */
    private static void skipBody(InputStream in, String head) throws IOException {
        for (String line : head.split("\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                long n = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                in.skipNBytes(n);
                return;
            }
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        SocketChannel serving = current;
        if (serving != null) {
            closeQuietly(serving);
        }
        synchronized (held) {
            held.forEach(HostileBackend::closeQuietly);
            held.clear();
        }
        try {
            acceptor.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
