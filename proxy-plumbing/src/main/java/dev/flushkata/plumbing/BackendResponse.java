package dev.flushkata.plumbing;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.core5.http.ClassicHttpResponse;

/**
 * The backend's answer, its body still streaming: Go's *http.Response. Closing the body returns the
 * connection to the pool only when the body was read to its end; otherwise the connection is dropped
 * at once, never drained, so a stalled or misbehaving backend holds nothing.
 */
public final class BackendResponse {

    private final HttpUriRequestBase request;
    private final ClassicHttpResponse response;
    private final Map<String, List<String>> headers;
    private final Body body;

    BackendResponse(HttpUriRequestBase request, ClassicHttpResponse response, Map<String, List<String>> headers)
            throws IOException {
        this.request = request;
        this.response = response;
        this.headers = headers;
        this.body = new Body(response.getEntity() == null ? InputStream.nullInputStream()
                : response.getEntity().getContent());
    }

    public int statusCode() {
        return response.getCode();
    }

    /** The backend's header fields by name, each name as the backend spelled it first. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The first value of the header named name (any case), or null. */
    public String header(String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue().get(0);
            }
        }
        return null;
    }

    /** The body; its close() keeps the connection only after a complete read. */
    public InputStream body() {
        return body;
    }

    /** Drops the backend connection now: a read blocked on it fails at once. Safe from any thread. */
    public void abort() {
        request.cancel();
    }

    private final class Body extends InputStream {
        private final InputStream in;
        private boolean eof;
        private boolean closed;

        Body(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n < 0) {
                eof = true;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            if (!eof) {
                abort(); // never drain: the rest may never come
            }
            try {
                response.close();
            } catch (IOException e) {
                if (eof) {
                    throw e;
                }
            }
        }
    }
}
