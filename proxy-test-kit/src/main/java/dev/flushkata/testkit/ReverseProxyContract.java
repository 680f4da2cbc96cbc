package dev.flushkata.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flushkata.leakcheck.CheckThreadLeaks;
import dev.flushkata.plumbing.ClosedPort;
import dev.flushkata.plumbing.ProxyFactory;
import dev.flushkata.plumbing.RunningProxy;
import dev.flushkata.plumbing.SilentBackend;
import dev.flushkata.plumbing.StreamingBackend;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every lesson's proxy does as a proxy, flusher aside: forwards, streams, strips hop-by-hop
 * headers, appends X-Forwarded-For, answers 502. A lesson's ReverseProxyTest extends it.
 */
@CheckThreadLeaks(ignore = Flushers.JDK_CLIENT_THREADS)
public abstract class ReverseProxyContract {

    static final Duration FLUSH = Duration.ofMillis(100);

    private final List<AutoCloseable> open = new ArrayList<>();

    /** The lesson's ReverseProxy constructor. */
    protected abstract ProxyFactory factory();

    /**
     * Whether the lesson flushes a body of unknown length after every write even without a flush interval
     * (Go 1.16 on; lesson-04). Then nothing waits in the server's buffer: the JDK's HttpServer buffers only
     * chunked bodies (on JDK 17 a body with a Content-Length goes out as written), so the unflushed-chunk
     * test does not apply.
     */
    protected boolean flushesUnknownLengthAtOnce() {
        return false;
    }

    protected ProxyFixture start(Duration flushInterval) {
        ProxyFixture fx = ProxyFixture.start(getClass().getSimpleName(), factory(), flushInterval);
        open.add(fx);
        return fx;
    }

    @AfterEach
    void closeFixtures() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        open.clear();
    }

    @Test
    void forwardsMethodPathQueryHeadersAndBody() throws Exception {
        ProxyFixture fx = start(FLUSH);
        HttpResponse<String> res = fx.client().send(HttpRequest.newBuilder(fx.url("/echo/sub?x=1&y=a%20b"))
                .header("X-Test", "v1").header("X-Test", "v2")
                .POST(HttpRequest.BodyPublishers.ofString("payload")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.body()).startsWith("POST /echo/sub?x=1&y=a%20b\n")
                .containsIgnoringCase("X-test: v1\nX-test: v2\n").endsWith("\n\npayload");
    }

    @Test
    void forwardsChunkedRequestBody() throws Exception {
        ProxyFixture fx = start(Duration.ZERO);
        RawHttp.Response res = RawHttp.exchange(fx.proxy().url(), "PUT /echo HTTP/1.1\r\nHost: x\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");

        assertThat(res.status()).isEqualTo(200);
        assertThat(res.bodyText()).startsWith("PUT /echo\n").endsWith("\n\nabcde");
    }

    @Test
    void returnsBackendStatusHeadersAndBodyUnchanged() throws Exception {
        ProxyFixture fx = start(FLUSH);
        for (int code : new int[] {200, 404, 418, 500, 503}) {
            HttpResponse<String> res = fx.get("/status?code=" + code);
            assertThat(res.statusCode()).isEqualTo(code);
            assertThat(res.body()).isEqualTo("status " + code);
            assertThat(res.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        }
    }

    @Test
    void streamsLargeBodiesByteForByte() throws Exception {
        ProxyFixture fx = start(FLUSH);
        HttpResponse<byte[]> fixed = fx.getBytes("/bytes?size=1000000");
        HttpResponse<byte[]> chunked = fx.getBytes("/stream?chunks=100&size=10000");

        assertThat(fixed.headers().firstValue("Content-Length")).hasValue("1000000");
        assertThat(fixed.body()).isEqualTo(StreamingBackend.content(0, 1_000_000));
        assertThat(chunked.body()).isEqualTo(StreamingBackend.content(0, 1_000_000));
    }

    @Test
    void answersHeadWithoutBody() throws Exception {
        ProxyFixture fx = start(FLUSH);
        RawHttp.Response res = RawHttp.exchange(fx.proxy().url(),
                "HEAD /bytes?size=100 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertThat(res.status()).isEqualTo(200);
        assertThat(res.body()).isEmpty();
    }

    @Test
    void stripsHopByHopRequestHeadersIncludingThoseNamedInConnection() throws Exception {
        ProxyFixture fx = start(FLUSH);
        RawHttp.Response res = RawHttp.exchange(fx.proxy().url(), "GET /echo HTTP/1.1\r\nHost: x\r\n"
                + "Connection: close, X-Secret, Upgrade\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\nTrailer: X-T\r\n"
                + "Upgrade: websocket\r\nProxy-Connection: keep-alive\r\nX-Secret: s\r\nX-Kept: k\r\n\r\n");

        assertThat(res.status()).isEqualTo(200);
        assertThat(res.bodyText().toLowerCase())
                .contains("x-kept: k")
                .doesNotContain("x-secret", "keep-alive:", "timeout=5", "te:", "trailer", "upgrade", "proxy-connection");
    }

    @Test
    void stripsHopByHopResponseHeadersIncludingThoseNamedInConnection() throws Exception {
        try (HostileBackend backend = HostileBackend.answering("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"
                + "Connection: X-Hop\r\nX-Hop: h\r\nKeep-Alive: timeout=5\r\nUpgrade: h2c\r\n"
                + "Proxy-Connection: keep-alive\r\nProxy-Authenticate: Basic\r\nX-Kept: k\r\n\r\nhi");
             RunningProxy proxy = RunningProxy.start("hop", factory(), backend.url(), FLUSH)) {
            RawHttp.Response res = RawHttp.exchange(proxy.url(), RawHttp.get("/"));

            assertThat(res.bodyText()).isEqualTo("hi");
            assertThat(res.header("X-Kept")).containsExactly("k");
            assertThat(res.header("X-Hop")).isEmpty();
            assertThat(res.header("Keep-Alive")).isEmpty();
            assertThat(res.header("Upgrade")).isEmpty();
            assertThat(res.header("Proxy-Connection")).isEmpty();
            assertThat(res.header("Proxy-Authenticate")).isEmpty();
            assertThat(res.header("Connection")).doesNotContain("X-Hop");
        }
    }

    @Test
    void appendsClientAddressToXForwardedFor() throws Exception {
        ProxyFixture fx = start(FLUSH);
        RawHttp.Response first = RawHttp.exchange(fx.proxy().url(), RawHttp.get("/echo"));
        RawHttp.Response chained = RawHttp.exchange(fx.proxy().url(),
                RawHttp.get("/echo", "X-Forwarded-For: 203.0.113.7"));

        assertThat(first.bodyText()).containsIgnoringCase("X-forwarded-for: 127.0.0.1\n");
        assertThat(chained.bodyText()).containsIgnoringCase("X-forwarded-for: 203.0.113.7, 127.0.0.1\n");
    }

    @Test
    void alwaysForwardsToTheConfiguredBackend() throws Exception {
        ProxyFixture fx = start(FLUSH);
        RawHttp.Response res = RawHttp.exchange(fx.proxy().url(),
                "GET http://198.51.100.1:81/echo?q=1 HTTP/1.1\r\nHost: 198.51.100.1:81\r\nConnection: close\r\n\r\n");

        assertThat(res.status()).isEqualTo(200);
        assertThat(res.bodyText()).startsWith("GET /echo?q=1\n")
                .contains("Host: " + fx.backend().url().getAuthority() + "\n");
    }

    @Test
    void answers502WithoutDetailsWhenTheBackendIsUnreachable() throws Exception {
        try (ClosedPort closed = new ClosedPort();
             RunningProxy proxy = RunningProxy.start("unreachable", factory(), closed.url(), FLUSH)) {
            proxy.stats().quiet();
            RawHttp.Response res = RawHttp.exchange(proxy.url(), RawHttp.get("/"));

            assertThat(res.status()).isEqualTo(502);
            assertThat(res.header("Content-Type")).containsExactly("text/plain; charset=utf-8");
            assertThat(res.bodyText()).startsWith("bad gateway").hasSizeLessThan(200).doesNotContain("\tat ", "Exception:");
        }
    }

    @Test
    void answers504WhenTheBackendDoesNotAnswerInTime() throws Exception {
        // A backend that never answers: the timeout is the only way out, however slow this machine is.
        try (SilentBackend backend = SilentBackend.start();
             RunningProxy proxy = RunningProxy.start("slow", factory(), backend.url(),
                     dev.flushkata.plumbing.Server.loopback(0), FLUSH, Duration.ofMillis(300))) {
            proxy.stats().quiet();
            RawHttp.Response res = RawHttp.exchange(proxy.url(), RawHttp.get("/"));

            assertThat(res.status()).isEqualTo(504);
            assertThat(res.bodyText()).isEqualTo("gateway timeout: the backend did not answer within 300ms\n");
        }
    }

    @Test
    void abortsTheResponseWhenTheBackendDiesMidBody() throws Exception {
        ProxyFixture fx = start(Duration.ZERO);
        RawHttp.Response res = RawHttp.exchange(fx.proxy().url(), RawHttp.get("/die?after=5000"));

        // Either the headers never arrive (status -1) or the body ends without its last chunk.
        assertThat(res.complete()).as("a cut body must not look complete: status %d, %s", res.status(),
                res.ending()).isFalse();
    }

    @Test
    void withAFlushIntervalTheFirstChunkArrivesWhileTheBackendPauses() throws Exception {
        ProxyFixture fx = start(FLUSH);
        // The second chunk comes a minute later: the first reaches the client only if the proxy flushes it.
        HttpResponse<InputStream> res = fx.stream("/stream?chunks=2&size=16&delayMs=60000");
        try (InputStream body = res.body()) {
            assertThat(Deadlines.within(Deadlines.FAULT_FREE, () -> body.readNBytes(16))).hasSize(16);
            fx.backend().close(); // ends the pause: the test is over
        }
    }

    @Test
    void withoutAFlushIntervalTheFirstChunkWaitsInTheBuffer() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(flushesUnknownLengthAtOnce(),
                "the lesson flushes a chunked body at once, by design");
        ProxyFixture fx = start(Duration.ZERO);
        // A raw socket: on JDK 25 the server holds even the headers until the first flush.
        try (Socket s = new Socket(fx.proxy().url().getHost(), fx.proxy().url().getPort())) {
            s.getOutputStream().write(RawHttp.get("/stream?chunks=2&size=16&delayMs=60000")
                    .getBytes(StandardCharsets.ISO_8859_1));
            s.setSoTimeout(1_000);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            try {
                s.getInputStream().transferTo(got);
            } catch (SocketTimeoutException e) {
                // what arrived in a second while the backend pauses; a slow machine can only make it less
            }
            assertThat(got.toString(StandardCharsets.ISO_8859_1)).as("what reached the client during the pause")
                    .doesNotContain(new String(StreamingBackend.content(0, 16), StandardCharsets.ISO_8859_1));
            fx.backend().close();
        }
    }

    /** HTTP/1.0 ends a body by closing the connection: a cut one must end in a reset, never a clean close. */
    @Test
    void anHttp10ClientSeesAResetWhenTheBackendDiesMidBody() throws Exception {
        ProxyFixture fx = start(Duration.ZERO);
        // More than the server's buffer: the head and some body reach the client before the backend dies.
        RawHttp.Response res = RawHttp.exchange(fx.proxy().url(), "GET /die?after=100000 HTTP/1.0\r\nHost: x\r\n\r\n");

        assertThat(res.ending()).as("how the response ended: status %d, %d body bytes", res.status(),
                res.body().length).startsWith("reset");
        assertThat(res.complete()).isFalse();
    }

    /**
     * The backend timeout starts once the request is written: a client that uploads slowly, its pieces
     * spread over three times the timeout, to a backend that answers once it has the whole body, gets 200.
     */
    @Test
    void theBackendTimeoutLeavesOutASlowUpload() throws Exception {
        Duration timeout = Duration.ofSeconds(1);
        try (HostileBackend backend = HostileBackend.answering( // once it has read the whole body
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
             RunningProxy proxy = RunningProxy.start("upload", factory(), backend.url(),
                     dev.flushkata.plumbing.Server.loopback(0), Duration.ZERO, timeout);
             Socket s = RawHttp.connect(proxy.url())) {
            proxy.stats().quiet();
            OutputStream out = s.getOutputStream();
            out.write("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            for (int i = 0; i < 4; i++) {
                if (i > 0) {
                    slowClientPause(timeout);
                }
                out.write('a' + i);
                out.flush();
            }
            RawHttp.Response res = RawHttp.read(s.getInputStream());

            assertThat(res.status()).as("status (%s): %s", res.ending(), res.bodyText()).isEqualTo(200);
            assertThat(res.bodyText()).isEqualTo("ok");
            assertThat(backend.requestHeads()).singleElement().asString().startsWith("POST /upload HTTP/1.1\n");
        }
    }

    /**
     * Expect: 100-continue reaches the backend, whose 100 reaches the client once the proxy reads the body:
     * the client sends its body only after that (a client that waited in vain would time out here).
     */
    @Test
    void forwardsExpectContinueAndTheBodyAfterTheBackendsGoAhead() throws Exception {
        ProxyFixture fx = start(Duration.ZERO);
        try (Socket s = RawHttp.connect(fx.proxy().url())) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 7\r\nExpect: 100-continue\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            RawHttp.Response goAhead = RawHttp.read(s.getInputStream());
            assertThat(goAhead.status()).as("the first answer, before any body was sent").isEqualTo(100);
            out.write("payload".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            RawHttp.Response res = RawHttp.read(s.getInputStream());

            assertThat(res.status()).isEqualTo(200);
            assertThat(res.bodyText()).startsWith("POST /echo\n").containsIgnoringCase("\nExpect: 100-continue\n")
                    .endsWith("\n\npayload");
        }
    }

    /** A slow client's pause: the scenario's own delay, not a wait for anything (nothing is awaited). */
    private static void slowClientPause(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }
}
