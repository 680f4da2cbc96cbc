package dev.flushkata.plumbing;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The backend the demos and tests proxy to. Bodies are the deterministic {@link #content} bytes.
 * <pre>
 *   /                              "hi"
 *   /stream?chunks=N&amp;delayMs=D&amp;size=S   N chunks of S bytes, D ms apart, each flushed
 *                                   (chunked; add length=true to announce Content-Length,
 *                                   type=T for Content-Type T instead of application/octet-stream)
 *   /bytes?size=S                  S bytes with Content-Length
 *   /echo, /echo/...               the request as the backend saw it: method, URI, headers, body
 *   /status?code=N                 status N with a short body
 *   /die?after=S                   S bytes of a longer body, then the connection drops
 *   /slow?delayMs=D                "hi" after D ms
 * </pre>
 */
public final class StreamingBackend implements AutoCloseable {

    static final String USAGE = """
            usage: java -cp <lesson>.jar dev.flushkata.plumbing.StreamingBackend [--listen HOST:PORT]
              --listen HOST:PORT   where to listen (default 127.0.0.1:9000; port 0 picks a free one)
            endpoints: /  /stream?chunks=N&delayMs=D&size=S[&length=true][&type=T]  /bytes?size=S  /echo
                       /status?code=N  /die?after=S  /slow?delayMs=D
            """;

    static final int MAX_SIZE = 64 << 20;
    static final int MAX_CHUNKS = 100_000;
    static final int MAX_DELAY_MS = 60_000;

    private final Server server;

    private StreamingBackend(Server server) {
        this.server = server;
    }

    /** Starts on a free loopback port. */
    public static StreamingBackend start() {
        return start(Server.loopback(0));
    }

    public static StreamingBackend start(InetSocketAddress address) {
        return new StreamingBackend(Server.start("backend", address, StreamingBackend::handle));
    }

    public URI url() {
        return server.url();
    }

    /** Requests being answered now: a stream the proxy abandoned ends here too. */
    public int busyWorkers() {
        return server.busyWorkers();
    }

    @Override
    public void close() {
        server.close();
    }

    /** Byte p of every body the backend sends: printable, position-dependent, so a lost or moved byte shows. */
    public static byte content(long p) {
        return (byte) ('a' + (p % 26));
    }

    /** Bytes [from, from + n) of the content. */
    public static byte[] content(long from, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = content(from + i);
        }
        return b;
    }

    private static void handle(HttpExchange ex) throws IOException {
        Map<String, String> q = query(ex.getRequestURI());
        String path = ex.getRequestURI().getPath();
        if (path.equals("/die")) {
            die(ex, q);
            return;
        }
        try (ex) {
            answer(ex, path, q);
        }
    }

    private static void answer(HttpExchange ex, String path, Map<String, String> q) throws IOException {
        try {
            switch (path.startsWith("/echo/") ? "/echo" : path) {
                case "/" -> text(ex, 200, "hi");
                case "/stream" -> stream(ex, number(q, "chunks", 1, 0, MAX_CHUNKS), number(q, "size", 16, 0, MAX_SIZE),
                        number(q, "delayMs", 0, 0, MAX_DELAY_MS), "true".equals(q.get("length")), mediaType(q));
                case "/bytes" -> {
                    int size = number(q, "size", 1024, 0, MAX_SIZE);
                    long length = bodyLength(ex, size);
                    ex.sendResponseHeaders(200, length);
                    writeContent(ex.getResponseBody(), 0, (int) Math.max(length, 0));
                }
                case "/echo" -> echo(ex);
                case "/status" -> {
                    int code = number(q, "code", 200, 200, 599);
                    text(ex, code, "status " + code);
                }
                case "/slow" -> {
                    pause(number(q, "delayMs", 1000, 0, MAX_DELAY_MS));
                    text(ex, 200, "hi");
                }
                default -> text(ex, 404, "not found; try / /stream /bytes /echo /status /die /slow");
            }
        } catch (IllegalArgumentException e) {
            text(ex, 400, e.getMessage()); // before the exchange is closed: the client gets the reason
        }
    }

    /** Starts a chunked body, sends part of it, then fails without closing: HttpServer drops the connection. */
    private static void die(HttpExchange ex, Map<String, String> q) throws IOException {
        int after;
        try {
            after = number(q, "after", 1024, 0, MAX_SIZE);
        } catch (IllegalArgumentException e) {
            try (ex) {
                text(ex, 400, e.getMessage());
            }
            return;
        }
        ex.sendResponseHeaders(200, 0);
        writeContent(ex.getResponseBody(), 0, after);
        ex.getResponseBody().flush();
        throw new IOException("backend dies mid-body on purpose");
    }

    private static void stream(HttpExchange ex, int chunks, int size, int delayMs, boolean length, String type)
            throws IOException {
        long total = (long) chunks * size;
        if (total > MAX_SIZE) {
            throw new IllegalArgumentException("chunks*size must be at most " + MAX_SIZE);
        }
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(200, length ? bodyLength(ex, total) : 0);
        OutputStream out = ex.getResponseBody();
        for (int i = 0; i < chunks; i++) {
            if (i > 0) {
                pause(delayMs);
            }
            writeContent(out, (long) i * size, size);
            out.flush();
        }
    }

    private static void echo(HttpExchange ex) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append(ex.getRequestMethod()).append(' ').append(ex.getRequestURI()).append('\n');
        ex.getRequestHeaders().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> e.getValue().forEach(v -> sb.append(e.getKey()).append(": ").append(v).append('\n')));
        sb.append('\n');
        try (InputStream in = ex.getRequestBody()) {
            sb.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        text(ex, 200, sb.toString());
    }

    private static void writeContent(OutputStream out, long from, int n) throws IOException {
        byte[] buf = new byte[Math.min(n, 64 * 1024)];
        for (int done = 0; done < n; ) {
            int len = Math.min(buf.length, n - done);
            for (int i = 0; i < len; i++) {
                buf[i] = content(from + done + i);
            }
            out.write(buf, 0, len);
            done += len;
        }
    }

    private static void text(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        long length = bodyLength(ex, b.length);
        ex.sendResponseHeaders(status, length);
        if (length > 0) {
            ex.getResponseBody().write(b);
        }
    }

    /** HttpServer's length argument for a body of n bytes: -1 for none (or HEAD), else n. */
    private static long bodyLength(HttpExchange ex, long n) {
        return n == 0 || ex.getRequestMethod().equalsIgnoreCase("HEAD") ? -1 : n;
    }

    /** The backend's simulated work between chunks. */
    private static void pause(int ms) throws IOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static int number(Map<String, String> q, String name, int dflt, int min, int max) {
        String v = q.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max);
    }

    /** /stream's type=: a bare media type such as text/event-stream (a proxy flushes those at once). */
    private static String mediaType(Map<String, String> q) {
        String t = q.getOrDefault("type", "application/octet-stream");
        if (!t.matches("[A-Za-z0-9.+-]+/[A-Za-z0-9.+-]+")) {
            throw new IllegalArgumentException("type must be a media type such as text/event-stream");
        }
        return t;
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> q = new HashMap<>();
        String raw = uri.getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    q.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        return q;
    }

    public static void main(String[] args) throws InterruptedException {
        StreamingBackend backend;
        try {
            CommandLine cl = CommandLine.parse(args, Set.of("listen"));
            if (cl.help()) {
                System.out.print(USAGE);
                return;
            }
            backend = start(cl.address("listen", "127.0.0.1:9000"));
        } catch (CommandLine.UsageException | java.io.UncheckedIOException e) {
            System.exit(CommandLine.usageError(System.err, e.getMessage(), USAGE));
            return;
        }
        System.out.println("streaming backend listening on " + backend.url());
        Runtime.getRuntime().addShutdownHook(new Thread(backend::close, "backend-shutdown"));
        new CountDownLatch(1).await(); // serve until killed
    }
}
