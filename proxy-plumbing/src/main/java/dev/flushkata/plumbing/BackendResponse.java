package dev.flushkata.plumbing;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * The backend's answer, its body still streaming: Go's *http.Response. Closing the body returns the
 * connection to the pool only when the body was read to its end; otherwise the connection is dropped
 * at once, never drained, so a stalled or misbehaving backend holds nothing.
 */
public final class BackendResponse {

    /** How the client library drops or releases the connection. */
    interface Connection {
        /** Drops it now, from any thread. */
        void abort();

        /** Releases it after the body; dropped if the body was not read to its end. */
        void release() throws IOException;
    }

    private final int status;
    private final Map<String, List<String>> headers;
    private final Connection connection;
    private final Body body;

    BackendResponse(int status, Map<String, List<String>> headers, InputStream body, Connection connection) {
        this.status = status;
        this.headers = headers;
        this.connection = connection;
        this.body = new Body(body);
    }

    /** A response that came from no connection, for tests of what a handler does with one. */
    public static BackendResponse of(int status, Map<String, List<String>> headers, InputStream body) {
        return new BackendResponse(status, headers, body, new Connection() {
            @Override
            public void abort() {
            }

            @Override
            public void release() {
            }
        });
    }

    public int statusCode() {
        return status;
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
        connection.abort();
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
                connection.release();
            } catch (IOException e) {
                if (eof) {
                    throw e;
                }
            }
        }
    }
}
