package dev.flushkata.plumbing;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.util.Set;

/**
 * The client's response stream, started from the backend's status and headers.
 *
 * <p>It is the stream every lesson's copy writes to and every flusher flushes. It counts what reaches it
 * after it was closed, which is how tests and the demo see the bug. close() ends the response properly only
 * after complete(); otherwise the response is aborted, so the client never mistakes a failed copy for a
 * complete body (Go's panic(http.ErrAbortHandler)). Its methods are synchronized so a late flush and the close cannot interleave inside the
 * JDK's stream, which is not thread-safe: the count stays exact and no other response is corrupted.
 */
public final class ResponseBody extends OutputStream {

    private final HttpExchange exchange;
    private final OutputStream out;
    private final ProxyStats stats;
    private boolean completed;
    private boolean closed;

    private ResponseBody(HttpExchange exchange, ProxyStats stats) {
        this.exchange = exchange;
        this.out = exchange.getResponseBody();
        this.stats = stats;
    }

    /** Sends the backend's status and end-to-end headers to the client and returns the body stream. */
    public static ResponseBody start(HttpExchange exchange, HttpResponse<?> res, ProxyStats stats)
            throws IOException {
        Set<String> hop = HopByHop.namesIn(res.headers().map());
        Headers headers = exchange.getResponseHeaders();
        res.headers().map().forEach((name, values) -> {
            // Content-Length is the server's to set (from the length below); Date it sets itself.
            if (!HopByHop.isHopByHop(name, hop) && !name.equalsIgnoreCase("content-length")
                    && !name.equalsIgnoreCase("date")) {
                headers.put(name, values);
            }
        });
        exchange.sendResponseHeaders(res.statusCode(), length(exchange.getRequestMethod(), res));
        return new ResponseBody(exchange, stats);
    }

    /** HttpServer's length argument: -1 no body, 0 chunked (length unknown), n fixed. */
    static long length(String method, HttpResponse<?> res) {
        int status = res.statusCode();
        if (method.equalsIgnoreCase("HEAD") || status == 204 || status == 304 || status < 200) {
            return -1;
        }
        long n = res.headers().firstValueAsLong("content-length").orElse(-1);
        return n < 0 ? 0 : n == 0 ? -1 : n;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        if (closed) {
            stats.writeAfterClose();
            throw new IOException("write after the response was finished");
        }
        out.write(b, off, len);
    }

    @Override
    public synchronized void flush() throws IOException {
        if (closed) {
            stats.flushAfterClose();
            throw new IOException("flush after the response was finished");
        }
        out.flush();
    }

    /** Marks the body complete: the next close() ends the response normally. */
    public synchronized void complete() {
        completed = true;
    }

    /**
     * Finishes the response: normally after complete(); otherwise it throws, and HttpServer, seeing its
     * handler fail, closes the connection without the final chunk, so the client sees an aborted response.
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        stats.responseFinished();
        if (!completed) {
            throw new IOException("response aborted: the body was not copied completely");
        }
        exchange.close();
    }
}
