package dev.flushkata.plumbing;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.client5.http.impl.io.DefaultManagedHttpClientConnection;
import org.apache.hc.client5.http.io.ManagedHttpClientConnection;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.config.CharCodingConfig;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.io.DefaultHttpRequestWriterFactory;
import org.apache.hc.core5.http.impl.io.DefaultHttpResponseParserFactory;
import org.apache.hc.core5.http.impl.io.NoResponseOutOfOrderStrategy;
import org.apache.hc.core5.http.impl.io.SocketHolder;
import org.apache.hc.core5.http.io.HttpConnectionFactory;
import org.apache.hc.core5.http.io.HttpMessageParser;
import org.apache.hc.core5.http.io.HttpMessageParserFactory;
import org.apache.hc.core5.http.io.SessionInputBuffer;
import org.apache.hc.core5.http.message.BasicLineParser;

/**
 * A pooled backend connection that is never reused while bytes the backend sent wait unread on it: a
 * forged second response, a body after a HEAD, 204 or 304 answer, a body longer than its Content-Length,
 * or bytes that came while it sat idle. Reused, they would be read as the answer to the next request,
 * maybe another client's: Go's Transport closes such a connection ("Unsolicited response received on
 * idle HTTP channel"); HttpClient would pool it.
 */
final class BackendConnection extends DefaultManagedHttpClientConnection {

    private static final AtomicLong IDS = new AtomicLong();

    /** Idle this long, a connection also gets HttpClient's own stale check, which waits up to 1 ms for a close. */
    private static final long QUIET_NANOS = 1_000_000_000L;

    private final Parser parser;
    private volatile long idleSince = System.nanoTime();

    private BackendConnection(Http1Config http1, Charset charset, CodingErrorAction unmappable, Parser parser) {
        // as ManagedHttpClientConnectionFactory makes them, but for the parser
        super("backend-" + IDS.incrementAndGet(),
                charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(unmappable),
                charset.newEncoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(unmappable),
                http1, null, null, NoResponseOutOfOrderStrategy.INSTANCE, new DefaultHttpRequestWriterFactory(http1),
                parser);
        this.parser = parser;
    }

    /** Makes connections coding heads as coding says, parsing responses strictly, never reused unclean. */
    static HttpConnectionFactory<ManagedHttpClientConnection> factory(Http1Config http1, CharCodingConfig coding) {
        CodingErrorAction unmappable = coding.getUnmappableInputAction() != null ? coding.getUnmappableInputAction()
                : CodingErrorAction.REPORT;
        return socket -> {
            BackendConnection conn = new BackendConnection(http1, coding.getCharset(), unmappable, new Parser(http1));
            if (socket != null) {
                conn.bind(socket);
            }
            return conn;
        };
    }

    /**
     * Called by the pool on release, before it keeps the connection: with bytes already there it is
     * closed at once. They are in the parser's buffer when they came with the response, in the socket's
     * when they came after it.
     */
    @Override
    public boolean isConsistent() {
        return super.isConsistent() && !unsolicited();
    }

    @Override
    public void passivate() {
        super.passivate();
        idleSince = System.nanoTime();
    }

    /**
     * Called by the pool before every reuse (validateAfterInactivity is 0): bytes that came while the
     * connection was idle make it stale. Looking costs no wait. Bytes that come after this look, before
     * the request is written, are taken for its answer: no client can tell them apart, Go's Transport
     * neither (its idle check is also done before the write). A connection idle for QUIET_NANOS also gets
     * HttpClient's check for a close, which reads what came (and calls the connection fresh if it was
     * data, hence the second look).
     */
    @Override
    public boolean isStale() throws IOException {
        if (!isOpen() || unsolicited()) {
            return true;
        }
        return System.nanoTime() - idleSince >= QUIET_NANOS && (super.isStale() || unsolicited());
    }

    /** Whether the backend has sent bytes no request has read. */
    private boolean unsolicited() {
        SocketHolder holder = getSocketHolder();
        if (holder == null) {
            return false; // closed: never reused anyway
        }
        if (parser.buffered() > 0) {
            return true;
        }
        try {
            Socket socket = holder.getBaseSocket();
            return socket.getInputStream().available() > 0; // FIONREAD on a plain socket: does not block
        } catch (IOException e) {
            return true; // a socket that cannot say is not worth reusing
        }
    }

    /**
     * The response parser, which also keeps the connection's input buffer so the connection can see what
     * is left in it: HttpClient passes the buffer to the parser and keeps it private otherwise.
     */
    private static final class Parser implements HttpMessageParser<ClassicHttpResponse>,
            HttpMessageParserFactory<ClassicHttpResponse> {
        private final HttpMessageParser<ClassicHttpResponse> strict;
        private volatile SessionInputBuffer buffer;

        Parser(Http1Config http1) {
            // core's strict parser: a malformed status line is a 502 at once, where the client's default
            // (lenient) one skips it as garbage and waits for a status line to come; the basic line parser
            // keeps control characters in header values for Framing to refuse.
            this.strict = new DefaultHttpResponseParserFactory(http1, BasicLineParser.INSTANCE, null).create();
        }

        @Override
        public ClassicHttpResponse parse(SessionInputBuffer buffer, InputStream in) throws IOException, HttpException {
            this.buffer = buffer;
            return strict.parse(buffer, in);
        }

        @Override
        @SuppressWarnings("deprecation") // the interface's one abstract method
        public HttpMessageParser<ClassicHttpResponse> create(Http1Config config) {
            return this;
        }

        int buffered() {
            SessionInputBuffer b = buffer;
            return b == null ? 0 : b.length();
        }
    }
}
