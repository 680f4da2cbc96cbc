package dev.flushkata.plumbing;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
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
        return start(address, Limits.DEFAULT);
    }

    /** Starts on address within limits (its workers: how many requests it answers at once). */
    public static StreamingBackend start(InetSocketAddress address, Limits limits) {
        return new StreamingBackend(Server.start("backend", address, new Endpoints(), limits));
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

    /** The endpoints, as a servlet. */
    private static final class Endpoints extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
            Map<String, String> q = query(req.getQueryString());
            String path = req.getRequestURI();
            try {
                switch (path.startsWith("/echo/") ? "/echo" : path) {
                    case "/" -> text(res, 200, "hi");
                    case "/stream" -> stream(res, number(q, "chunks", 1, 0, MAX_CHUNKS), number(q, "size", 16, 0, MAX_SIZE),
                            number(q, "delayMs", 0, 0, MAX_DELAY_MS), "true".equals(q.get("length")), mediaType(q));
                    case "/bytes" -> {
                        int size = number(q, "size", 1024, 0, MAX_SIZE);
                        res.setContentLengthLong(size);
                        writeContent(res.getOutputStream(), 0, size);
                    }
                    case "/echo" -> echo(req, res);
                    case "/status" -> {
                        int code = number(q, "code", 200, 200, 599);
                        text(res, code, "status " + code);
                    }
                    case "/die" -> die(res, number(q, "after", 1024, 0, MAX_SIZE));
                    case "/slow" -> {
                        pause(number(q, "delayMs", 1000, 0, MAX_DELAY_MS));
                        text(res, 200, "hi");
                    }
                    default -> text(res, 404, "not found; try / /stream /bytes /echo /status /die /slow");
                }
            } catch (IllegalArgumentException e) {
                text(res, 400, e.getMessage());
            }
        }
    }

    /** Starts a chunked body, sends part of it, then drops the connection with a reset. */
    private static void die(HttpServletResponse res, int after) throws IOException {
        res.setStatus(200);
        writeContent(res.getOutputStream(), 0, after);
        res.getOutputStream().flush();
        ResponseBody.reset(res);
    }

    private static void stream(HttpServletResponse res, int chunks, int size, int delayMs, boolean length,
            String type) throws IOException {
        long total = (long) chunks * size;
        if (total > MAX_SIZE) {
            throw new IllegalArgumentException("chunks*size must be at most " + MAX_SIZE);
        }
        ResponseBody.rawHeaders(res).put("Content-Type", type);
        if (length) {
            res.setContentLengthLong(total);
        }
        OutputStream out = res.getOutputStream();
        for (int i = 0; i < chunks; i++) {
            if (i > 0) {
                pause(delayMs);
            }
            writeContent(out, (long) i * size, size);
            out.flush();
        }
    }

    private static void echo(HttpServletRequest req, HttpServletResponse res) throws IOException {
        StringBuilder sb = new StringBuilder();
        String query = req.getQueryString() == null ? "" : "?" + req.getQueryString();
        sb.append(req.getMethod()).append(' ').append(req.getRequestURI()).append(query).append('\n');
        Map<String, List<String>> headers = new TreeMap<>();
        for (String name : Collections.list(req.getHeaderNames())) {
            headers.put(name, Collections.list(req.getHeaders(name)));
        }
        headers.forEach((name, values) -> values.forEach(v -> sb.append(name).append(": ").append(v).append('\n')));
        sb.append('\n');
        try (InputStream in = req.getInputStream()) {
            sb.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        text(res, 200, sb.toString());
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

    private static void text(HttpServletResponse res, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        res.setStatus(status);
        ResponseBody.rawHeaders(res).put("Content-Type", "text/plain; charset=utf-8");
        res.setContentLength(b.length);
        res.getOutputStream().write(b);
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

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
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

    /** The backend's command line. */
    @Command(name = "java -cp <lesson>.jar dev.flushkata.plumbing.StreamingBackend",
            description = "The test backend: / /stream?chunks=N&delayMs=D&size=S[&length=true][&type=T] /bytes?size=S /echo"
                    + " /status?code=N /die?after=S /slow?delayMs=D")
    static final class Options {
        @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9000",
                converter = Cli.Address.class,
                description = "where to listen (default: ${DEFAULT-VALUE}; port 0 picks a free one)")
        InetSocketAddress listen;

        @Option(names = "--workers", paramLabel = "N", defaultValue = "200",
                description = "requests answered at once (default: ${DEFAULT-VALUE}); 100 more wait up to 1s, then 503")
        int workers;

        @Option(names = "--virtual-threads", description = "workers are virtual threads (JDK 21 or later)")
        boolean virtualThreads;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this help and exit")
        boolean help;
    }

    public static void main(String[] args) throws InterruptedException {
        Options o = Cli.parseOrExit(new Options(), args);
        if (o == null) {
            return;
        }
        StreamingBackend backend;
        try {
            Limits limits = Limits.DEFAULT.withWorkers(o.workers, Limits.DEFAULT.queue(), Limits.DEFAULT.queueTimeout())
                    .withVirtualThreads(o.virtualThreads);
            backend = start(o.listen, limits);
        } catch (java.io.UncheckedIOException | IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.out.println("streaming backend listening on " + backend.url());
        Runtime.getRuntime().addShutdownHook(new Thread(backend::close, "backend-shutdown"));
        new CountDownLatch(1).await(); // serve until killed
    }
}
