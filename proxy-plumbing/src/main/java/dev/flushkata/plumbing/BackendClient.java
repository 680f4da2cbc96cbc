package dev.flushkata.plumbing;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.EndpointDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.config.CharCodingConfig;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.io.HttpRequestExecutor;
import org.apache.hc.core5.http.io.HttpClientConnection;
import org.apache.hc.core5.http.io.HttpResponseInformationCallback;
import org.apache.hc.core5.http.io.entity.AbstractHttpEntity;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The proxy's side of the backend (Go's Transport): forwards one client request to the one backend over
 * pooled connections (Apache HttpClient 5, classic: the servlet's thread does the backend's I/O itself,
 * no hand-off; measured against Jetty's client, see docs/performance.md) and streams the answer.
 */
public final class BackendClient implements AutoCloseable {

    /** How long a pooled connection may sit idle and still be reused: Go's DefaultTransport's 90 s. */
    private static final Timeout IDLE = Timeout.ofSeconds(90);

    /** The context attribute saying the last attempt failed on a reused connection before any byte came back. */
    private static final String SILENT_ON_REUSED = "dev.flushkata.plumbing.silent-on-reused";

    /** Headers the client library sets itself (Expect: see expectContinue); Host always names the backend. */
    private static final Set<String> SET_BY_CLIENT = Set.of("host", "content-length", "expect");

    /**
     * Heads written one char per byte, every byte from 0 to 255 (the library's default writes a '?' for
     * 0x80-0x9f, which UTF-8 in a request-target is full of); a char past 255 is a '?', as before.
     */
    private static final CharCodingConfig ONE_CHAR_PER_BYTE = CharCodingConfig.custom()
            .setCharset(StandardCharsets.ISO_8859_1)
            .setUnmappableInputAction(CodingErrorAction.REPLACE)
            .build();

    private final URI target;
    private final URI root; // scheme and authority only: the path is set raw on each request
    private final HttpHost host;
    private final Limits limits;
    private final ProxyStats stats;
    private final PoolingHttpClientConnectionManager pool;
    private final CloseableHttpClient client;

    /** A client for target; timeout bounds the wait for the backend's headers, other limits are the defaults. */
    public BackendClient(URI target, Duration timeout, ProxyStats stats) {
        this(target, Limits.DEFAULT.withBackendTimeout(timeout), stats);
    }

    /** A client for target within limits. */
    public BackendClient(URI target, Limits limits, ProxyStats stats) {
        this.target = target;
        this.root = URI.create(target.getScheme() + "://" + target.getRawAuthority() + "/");
        this.host = new HttpHost(target.getScheme(), target.getHost(), target.getPort());
        this.limits = limits;
        this.stats = stats;
        Http1Config http1 = Http1Config.custom()
                .setMaxLineLength(limits.maxHeaderBytes()) // a longer status line or header: 502
                .setMaxHeaderCount(2 * limits.maxHeaders())
                .build();
        this.pool = PoolingHttpClientConnectionManagerBuilder.create()
                // never reused with unread bytes on it
                .setConnectionFactory(BackendConnection.factory(http1, ONE_CHAR_PER_BYTE))
                .setMaxConnTotal(limits.workers())
                .setMaxConnPerRoute(limits.workers())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(limits.backendTimeout()))
                        .setSocketTimeout(Timeout.of(limits.backendIdleTimeout()))
                        .setValidateAfterInactivity(TimeValue.ZERO_MILLISECONDS) // BackendConnection.isStale
                        // Go's IdleConnTimeout, checked when the connection is next wanted: no evictor thread;
                        // the idle connections hold at most --workers sockets meanwhile
                        .setIdleTimeout(IDLE)
                        .build())
                .build();
        this.client = HttpClients.custom()
                .setConnectionManager(pool)
                .setRequestExecutor(new HeaderTimeout(limits))
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(Timeout.of(limits.backendTimeout()))
                        .build())
                .setRetryStrategy(new ResendOnReusedConnection(limits.workers()))
                .disableRedirectHandling() // redirects go back to the client, as they are
                .disableContentCompression() // bytes pass through as the backend encoded them
                .disableCookieManagement()
                .disableAuthCaching()
                .disableConnectionState()
                .disableDefaultUserAgent()
                .build();
    }

    public URI target() {
        return target;
    }

    /**
     * Sends the client's request to the backend (Go's transport.RoundTrip) and returns its response, body
     * still streaming. If the request is refused (4xx, 501, 505: see RequestChecks) or the backend fails
     * (502, or 504 when its headers do not come in time), answers the client itself and returns null.
     */
    public BackendResponse roundTrip(HttpServletRequest in, HttpServletResponse out) throws IOException {
        stats.requestStarted();
        RequestChecks.Refusal refusal = RequestChecks.check(in, limits);
        if (refusal != null) {
            return fail(out, refusal.status(), refusal.message());
        }
        HttpUriRequestBase req;
        Upload upload;
        try {
            req = newRequest(in);
            upload = copyHeaders(in, req);
            expectContinue(in, req, upload);
        } catch (IllegalArgumentException e) { // the details name the backend: they stay in the log
            stats.log("cannot forward " + in.getMethod() + ": " + e.getMessage());
            return fail(out, 400, "bad request: the request cannot be forwarded");
        }
        ClassicHttpResponse res;
        try {
            res = client.executeOpen(host, req, null);
        } catch (IOException | RuntimeException e) {
            req.cancel(); // the connection is never reused after a failure
            if (upload != null && upload.failure != null) {
                return fail(out, 400, "bad request: the request body is malformed or was cut ("
                        + upload.failure.getClass().getSimpleName() + ")");
            }
            if (Causes.has(e, SocketTimeoutException.class)) {
                return fail(out, 504, "gateway timeout: the backend did not answer within "
                        + Durations.format(limits.backendTimeout()));
            }
            stats.log("backend failed: " + Causes.describe(e)); // the details stay in the proxy's log
            return fail(out, 502, "bad gateway: the backend failed (" + e.getClass().getSimpleName() + ")");
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String misframed = Framing.check(res, headers, limits.maxHeaderBytes());
        if (misframed != null) {
            req.cancel();
            res.close();
            return fail(out, 502, "bad gateway: the backend's response is malformed (" + misframed + ")");
        }
        InputStream body = res.getEntity() == null ? InputStream.nullInputStream() : res.getEntity().getContent();
        return new BackendResponse(res.getCode(), headers, body, new BackendResponse.Connection() {
            @Override
            public void abort() {
                req.cancel();
            }

            @Override
            public void release() throws IOException {
                res.close();
            }
        });
    }

    /** Copies the end-to-end headers and X-Forwarded-For; the body's entity, or null without one. */
    private Upload copyHeaders(HttpServletRequest in, HttpUriRequestBase req) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(in.getHeaderNames())) {
            headers.put(name, Collections.list(in.getHeaders(name)));
        }
        Set<String> hop = HopByHop.namesIn(headers);
        List<String> priorForwardedFor = new ArrayList<>();
        headers.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("x-forwarded-for")) {
                priorForwardedFor.addAll(values);
            } else if (!hop.contains(lower) && !SET_BY_CLIENT.contains(lower)) {
                values.forEach(v -> req.addHeader(name, v));
            }
        });
        req.addHeader("X-Forwarded-For", forwardedFor(priorForwardedFor, in.getRemoteAddr()));
        long length = in.getContentLengthLong();
        boolean chunked = in.getHeader("Transfer-Encoding") != null;
        if (!chunked && length <= 0) {
            return null;
        }
        Upload upload = new Upload(in, chunked ? -1 : length, req::cancel);
        req.setEntity(upload);
        return upload;
    }

    /**
     * The backend request for in: its method and request-target as the client sent them, the path joined
     * to the target's. The target is set raw, never parsed into a java.net.URI, which would refuse or
     * respell legal characters (Go passes RawPath and RawQuery on the same way).
     */
    private HttpUriRequestBase newRequest(HttpServletRequest in) {
        HttpUriRequestBase req = new HttpUriRequestBase(in.getMethod(), root);
        req.setPath(onTheWire(targetFor(in.getRequestURI(), in.getQueryString())));
        return req;
    }

    /** The backend request-target for a request: only its path and query count, so every request goes to target. */
    String targetFor(String rawPath, String rawQuery) {
        String base = target.getRawPath() == null ? "" : target.getRawPath();
        String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        String joined = base.endsWith("/") && path.startsWith("/") ? base + path.substring(1)
                : !base.endsWith("/") && !path.startsWith("/") ? base + "/" + path : base + path;
        return rawQuery == null ? joined : joined + "?" + rawQuery;
    }

    /**
     * s as the client library writes a request line, one char per byte: Jetty has decoded the client's
     * request-target as UTF-8, so its UTF-8 bytes, one char each, go out as the client sent them.
     */
    private static String onTheWire(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /**
     * Passes the client's Expect: 100-continue on with its body: the client library then waits for the
     * backend's 100 before it reads the client's body (Jetty sends the client its 100 at that first read),
     * and a backend that refuses at once (401, 413...) is answered to a client that has sent no body yet.
     */
    private static void expectContinue(HttpServletRequest in, HttpUriRequestBase req, Upload upload) {
        String expect = in.getHeader("Expect");
        if (upload != null && expect != null && expect.trim().equalsIgnoreCase("100-continue")
                && "HTTP/1.1".equals(in.getProtocol())) { // an HTTP/1.0 client's is ignored (RFC 9110 10.1.1)
            req.addHeader("Expect", "100-continue");
        }
    }

    /** Appends client to the X-Forwarded-For values the request came with, as Go's httputil does. */
    static String forwardedFor(List<String> prior, String client) {
        return prior == null || prior.isEmpty() ? client : String.join(", ", prior) + ", " + client;
    }

    private BackendResponse fail(HttpServletResponse out, int status, String message) throws IOException {
        stats.log(status + " " + message);
        if (out.isCommitted()) {
            return null; // Jetty has already refused the request itself
        }
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        out.reset();
        out.setStatus(status);
        ResponseBody.rawHeaders(out).put("Content-Type", "text/plain; charset=utf-8");
        if (status < 500 || status == 505 || status == 501) {
            out.setHeader("Connection", "close"); // what follows on this connection is suspect
        }
        if (status == 405) {
            out.setHeader("Allow", RequestChecks.ALLOWED); // a 405 says what is allowed (RFC 9110 15.5.6)
        }
        out.setContentLength(body.length);
        out.getOutputStream().write(body);
        out.flushBuffer();
        return null;
    }

    /** Closes the pooled connections. */
    @Override
    public void close() {
        client.close(CloseMode.IMMEDIATE);
        pool.close(CloseMode.IMMEDIATE);
    }

    /**
     * The request body, streamed from the client as it arrives. Remembers a failure reading the client, so
     * the client, not the backend, is blamed for it; and drops the backend connection at once, before the
     * client library's close of the chunked stream would write the last chunk and pass the cut body off as
     * complete (Go's transport never ends a body it failed to read).
     */
    private static final class Upload extends AbstractHttpEntity {
        private final HttpServletRequest in;
        private final long length;
        private final Runnable abort;
        volatile Exception failure;

        Upload(HttpServletRequest in, long length, Runnable abort) {
            super((String) null, null, length < 0);
            this.in = in;
            this.length = length;
            this.abort = abort;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            InputStream body = in.getInputStream();
            byte[] buf = new byte[16 * 1024];
            long copied = 0;
            while (true) {
                int n;
                try {
                    n = body.read(buf);
                } catch (IOException | RuntimeException e) { // Jetty's BadMessageException is unchecked
                    throw cut(e instanceof IOException io ? io : new IOException(e));
                }
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
                copied += n;
            }
            if (length >= 0 && copied != length) {
                throw cut(new IOException("request body cut at " + copied + " of " + length + " bytes"));
            }
        }

        /** Remembers e as the client's failure and drops the backend connection; returns e to throw. */
        private IOException cut(IOException e) {
            failure = e;
            abort.run();
            return e;
        }

        @Override
        public InputStream getContent() {
            throw new UnsupportedOperationException("streamed once, by writeTo");
        }

        @Override
        public long getContentLength() {
            return length;
        }

        @Override
        public boolean isRepeatable() {
            return false;
        }

        @Override
        public boolean isStreaming() {
            return true;
        }

        @Override
        public void close() {
            // the servlet container owns the request stream
        }
    }

    /**
     * Go's ResponseHeaderTimeout, nearly: once the request is written (a read timeout starts only then, so a
     * slow upload does not count), every read of the status line and headers may wait backendTimeout, and
     * then every read of the body backendIdleTimeout. It bounds silence, not the total: a backend that
     * trickles its head a byte at a time, each within the timeout, is not cut off, where Go's deadline is
     * total. No timer thread is needed for it.
     */
    private static final class HeaderTimeout extends HttpRequestExecutor {
        /** Go's ExpectContinueTimeout: a backend that never sends 100 (HTTP/1.0) gets the body after that. */
        private static final Timeout WAIT_FOR_CONTINUE = Timeout.ofSeconds(1);

        private final Timeout header;
        private final Timeout idle;

        HeaderTimeout(Limits limits) {
            super(Http1Config.custom().setWaitForContinueTimeout(WAIT_FOR_CONTINUE).build(), null, null);
            this.header = Timeout.of(limits.backendTimeout().toMillis(), TimeUnit.MILLISECONDS);
            this.idle = Timeout.of(limits.backendIdleTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Also notes, for ResendOnReusedConnection, a failure on a reused connection before any byte came. */
        @Override
        public ClassicHttpResponse execute(ClassicHttpRequest request, HttpClientConnection conn,
                HttpResponseInformationCallback informationCallback, HttpContext context)
                throws IOException, HttpException {
            EndpointDetails details = conn.getEndpointDetails(); // its counts are live
            long sentBefore = details == null ? 0 : details.getRequestCount();
            long receivedBefore = details == null ? 0 : details.getReceivedBytesCount();
            context.setAttribute(SILENT_ON_REUSED, false);
            conn.setSocketTimeout(header);
            ClassicHttpResponse response;
            try {
                response = super.execute(request, conn, informationCallback, context);
            } catch (IOException e) {
                context.setAttribute(SILENT_ON_REUSED,
                        sentBefore > 0 && details.getReceivedBytesCount() == receivedBefore);
                throw e;
            }
            conn.setSocketTimeout(idle);
            return response;
        }
    }

    /**
     * Go's rule for sending a request again (persistConn.shouldRetryRequest): only when it failed on a
     * reused connection before any byte of an answer came back (the backend closed the idle connection,
     * or reset it on reading the request: NoHttpResponseException, a reset or a broken pipe), and only an
     * idempotent one (GET, HEAD, OPTIONS, TRACE, PUT, DELETE) without a body: the proxy streams a client's
     * body through once and keeps no copy, so the client library never repeats it. Never after an answer
     * began, never on a fresh connection (that failure is the backend's: a 502), never for a status.
     * Each retry has dropped one pooled connection, so at most the pool's size of them, at once.
     */
    private static final class ResendOnReusedConnection extends DefaultHttpRequestRetryStrategy {

        ResendOnReusedConnection(int poolSize) {
            super(poolSize, TimeValue.ZERO_MILLISECONDS);
        }

        @Override
        public boolean retryRequest(HttpRequest request, IOException exception, int execCount, HttpContext context) {
            return Boolean.TRUE.equals(context.getAttribute(SILENT_ON_REUSED))
                    && super.retryRequest(request, exception, execCount, context);
        }

        @Override
        public boolean retryRequest(HttpResponse response, int execCount, HttpContext context) {
            return false; // a 429 or 503 goes to the client as it is
        }
    }


    /** For Framing: the header fields of res, each name once, in arrival order. */
    static void collect(Header[] fields, Map<String, List<String>> into) {
        for (Header h : fields) {
            String key = into.keySet().stream().filter(k -> k.equalsIgnoreCase(h.getName())).findFirst()
                    .orElse(h.getName());
            into.computeIfAbsent(key, k -> new ArrayList<>()).add(h.getValue());
        }
    }
}
