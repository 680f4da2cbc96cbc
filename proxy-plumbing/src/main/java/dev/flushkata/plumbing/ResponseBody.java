package dev.flushkata.plumbing;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.ServletContextResponse;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.EndPoint;

/**
 * The client's response stream, started from the backend's status and headers.
 *
 * <p>It is the stream every lesson's copy writes to and every flusher flushes. It counts what reaches it
 * after it was closed, which is how tests and the demo see the bug. close() ends the response properly only
 * after complete(); otherwise it resets the client's connection, so the client never mistakes a failed
 * copy for a complete body, not even over HTTP/1.0 where a clean close ends a body (Go's
 * panic(http.ErrAbortHandler)). A failed flush (the client is gone) makes the next write fail at once, as in
 * Go, where that failed write was what stopped the 2012 flusher; a stalled backend is bounded by the
 * backend idle timeout. Its methods are synchronized so
 * a late flush and the close cannot interleave inside the servlet stream, which is not thread-safe.
 */
public final class ResponseBody extends OutputStream {

    private final HttpServletResponse response;
    private final OutputStream out;
    private final ProxyStats stats;
    private boolean completed;
    private boolean closed;

    private ResponseBody(HttpServletResponse response, ProxyStats stats)
            throws IOException {
        this.response = response;
        this.out = response.getOutputStream();
        this.stats = stats;
    }

    /** Sends the backend's status and end-to-end headers to the client and returns the body stream. */
    public static ResponseBody start(HttpServletResponse response, BackendResponse res, ProxyStats stats)
            throws IOException {
        Map<String, List<String>> headers = res.headers();
        Set<String> hop = HopByHop.namesIn(headers);
        response.setStatus(res.statusCode());
        HttpFields.Mutable fields = rawHeaders(response);
        headers.forEach((name, values) -> {
            // Content-Length is set from the length below; Date the server sets itself.
            if (!HopByHop.isHopByHop(name, hop) && !name.equalsIgnoreCase("content-length")
                    && !name.equalsIgnoreCase("date")) {
                values.forEach(v -> fields.add(name, v));
            }
        });
        String length = res.header("Content-Length");
        if (length != null && bodyAllowed(res.statusCode())) { // a 1xx or 204 has none (RFC 9110 8.6), as in Go
            response.setContentLengthLong(Long.parseLong(length.trim())); // Framing has checked it
        }
        return new ResponseBody(response, stats);
    }

    /** Whether a response with status may carry a Content-Length: not a 1xx or 204; a 304 may (a 200's length). */
    private static boolean bodyAllowed(int status) {
        return status >= 200 && status != 204;
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
        out.flush(); // a failure here (the client is gone) makes the copy's next write fail at once

    }

    /** Marks the body complete: the next close() ends the response normally. */
    public synchronized void complete() {
        completed = true;
    }

    /** Finishes the response: normally after complete(); otherwise resets the client's connection. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        stats.responseFinished();
        if (completed) {
            out.close();
        } else {
            reset(response);
        }
    }

    /**
     * The response's header fields as they go out, under the servlet layer, which would respell
     * Content-Type ("text/plain; charset=utf-8" as "text/plain;charset=utf-8"): a proxy passes it as it came.
     */
    static HttpFields.Mutable rawHeaders(HttpServletResponse response) {
        return ServletContextResponse.getServletContextResponse(response).getWrapped().getHeaders();
    }

    /** Closes the client's connection with a TCP reset: no FIN, so no client reads a cut body as whole. */
    static void reset(HttpServletResponse response) {
        EndPoint endPoint = ServletContextResponse.getServletContextResponse(response).getRequest()
                .getConnectionMetaData().getConnection().getEndPoint();
        if (endPoint.getTransport() instanceof NetworkChannel channel) {
            try {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (IOException | RuntimeException e) {
                // already closed: nothing to reset
            }
        }
        endPoint.close(new IOException("response aborted: the body was not copied completely"));
    }
}
