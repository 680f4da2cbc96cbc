package dev.flushkata.testkit;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A raw-socket backend with per-request scripted behaviour, for what no HTTP server would send: broken
 * status lines, control characters in headers, misframed bodies, headers and then silence. One thread
 * serves every connection in turn: it reads the request head and its body (recorded, chunked or not),
 * writes what the script answers for that head, then hangs up, holds the connection, or serves the next
 * request on it (a kept-alive connection, meanwhile accepting no other). A held connection costs a
 * socket, not a thread; it stays open until the proxy closes its side, which {@link #openConnections()}
 * notices, so a backend connection the proxy leaks stays visible.
 */
public final class HostileBackend implements AutoCloseable {

    /**
     * What the backend does with one request: the bytes it answers, then whether it hangs up; beforeBody
     * answers as soon as the head is in, then reads (and discards) whatever body still comes.
     */
    public record Reply(byte[] bytes, boolean hangUp, boolean beforeBody, boolean next) {

        public Reply(byte[] bytes, boolean hangUp) {
            this(bytes, hangUp, false, false);
        }

        public Reply(byte[] bytes, boolean hangUp, boolean beforeBody) {
            this(bytes, hangUp, beforeBody, false);
        }

        /** Answers raw (ISO-8859-1) before reading the body, as a server refusing it early does; then closes. */
        public static Reply beforeTheBody(String raw) {
            return new Reply(raw.getBytes(StandardCharsets.ISO_8859_1), true, true);
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
            return new Reply(raw.getBytes(StandardCharsets.ISO_8859_1), false, false, true);
        }
    }

    private final ServerSocketChannel listener;
    private final Function<String, Reply> script;
    private final Thread acceptor;
    private final BlockingQueue<String> requestHeads = new LinkedBlockingQueue<>();
    private final BlockingQueue<Body> requestBodies = new LinkedBlockingQueue<>();
    private final AtomicLong bodyBytes = new AtomicLong(); // body bytes read so far, counted as they come
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

    /** The request bodies received so far (requests without a body add none), oldest first. */
    public BlockingQueue<Body> requestBodies() {
        return requestBodies;
    }

    /** Body bytes received so far, over every request, counted as they arrive. */
    public long bodyBytes() {
        return bodyBytes.get();
    }

    /**
     * A request body as the backend read it: its bytes (chunks decoded) and whether it ended as its framing
     * says (the last chunk, or Content-Length bytes), not cut by an EOF, a reset or a malformed chunk.
     */
    public record Body(byte[] bytes, boolean complete) {
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
        Reply reply = script.apply(head);
        if (!reply.beforeBody()) {
            readBody(in, head); // a reply comes only after the whole request
        }
        out.write(reply.bytes());
        out.flush();
        if (reply.beforeBody()) {
            readBody(in, head); // what still comes: read, so closing does not reset the connection
        }
        return reply;
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String l = RawHttp.line(in); l != null && !l.isEmpty(); l = RawHttp.line(in)) {
            sb.append(l).append('\n');
        }
        return sb.toString();
    }

    /** Reads the request's body, Content-Length or chunked, to its end or until it breaks off; records it. */
    private void readBody(InputStream in, String head) {
        String length = field(head, "content-length");
        boolean chunked = field(head, "transfer-encoding") != null;
        if (length == null && !chunked) {
            return;
        }
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        boolean complete = false;
        try {
            if (chunked) {
                for (long n = chunkSize(in); n > 0; n = chunkSize(in)) {
                    copy(in, got, n);
                    if (!"".equals(RawHttp.line(in))) {
                        throw new IOException("no CRLF after a chunk");
                    }
                }
                for (String l = RawHttp.line(in); l != null; l = RawHttp.line(in)) {
                    if (l.isEmpty()) { // the end of the trailer section: the body is complete
                        complete = true;
                        break;
                    }
                }
            } else {
                copy(in, got, Long.parseLong(length));
                complete = true;
            }
        } catch (IOException | RuntimeException cut) {
            // an EOF, a reset or a malformed chunk: the body broke off
        }
        requestBodies.add(new Body(got.toByteArray(), complete));
    }

    private static long chunkSize(InputStream in) throws IOException {
        String line = RawHttp.line(in);
        if (line == null) {
            throw new EOFException("closed before a chunk size");
        }
        return Long.parseLong(line.split(";", 2)[0].trim(), 16);
    }

    private void copy(InputStream in, ByteArrayOutputStream to, long n) throws IOException {
        byte[] buf = new byte[8192];
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) {
                throw new EOFException("closed inside the body");
            }
            to.write(buf, 0, r);
            bodyBytes.addAndGet(r);
            n -= r;
        }
    }

    private static String field(String head, String name) {
        for (String line : head.split("\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith(name + ":")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return null;
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
