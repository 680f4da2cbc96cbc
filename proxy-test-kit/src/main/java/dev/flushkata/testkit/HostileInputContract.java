package dev.flushkata.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flushkata.leakcheck.CheckThreadLeaks;
import dev.flushkata.plumbing.Limits;
import dev.flushkata.plumbing.ProxyFactory;
import dev.flushkata.plumbing.RunningProxy;
import dev.flushkata.plumbing.Server;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Bad input gets a clear 4xx (or 501) and a closed connection: never a hang, a leak, or a request
 * smuggled to the backend. The backend here records every request head that reaches it.
 */
@CheckThreadLeaks(ignore = Flushers.JDK_CLIENT_THREADS)
public abstract class HostileInputContract {

    static final int CLIENTS = 64;
    static final Duration SHORT = Duration.ofMillis(500); // an idle timeout the tests wait out, so short

    private HostileBackend backend;
    private RunningProxy proxy;

    /** The lesson's ReverseProxy constructor. */
    protected abstract ProxyFactory factory();

    @BeforeEach
    void start() throws Exception {
        backend = HostileBackend.answering("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        proxy = RunningProxy.start("hostile", factory(), backend.url(), Duration.ofMillis(10));
        proxy.stats().quiet();
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        backend.close();
    }

    /** Sends request, reads the answer and on until the proxy closes the connection. */
    private RawHttp.Exchange send(String request) throws Exception {
        return RawHttp.exchangeToEnd(proxy.url(), request);
    }

    /** The status is a client error (or 501), the connection is closed, the backend saw nothing. */
    private void assertRefused(RawHttp.Exchange ex, int... statuses) {
        RawHttp.Response res = ex.response();
        assertThat(res.status()).as("status (%s)", res.ending()).isIn((Object[]) box(statuses));
        assertThat(res.complete()).as("a complete answer, then the connection closed: %s", res.ending()).isTrue();
        assertThat(ex.after()).as("what the proxy sent after its refusal, before it closed the connection").isEmpty();
        assertThat(backend.requestHeads()).as("requests that reached the backend").isEmpty();
    }

    private static Integer[] box(int[] a) {
        Integer[] b = new Integer[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i];
        }
        return b;
    }

    @ParameterizedTest
    @ValueSource(strings = {"GARBAGE\r\n\r\n", "GET\r\n\r\n", "GET / HTTP/9.9\r\nHost: x\r\n\r\n",
            "GET / HTTP/1.1\r\nBad Header Line\r\n\r\n"})
    void malformedRequestsAreRefused(String request) throws Exception {
        assertRefused(send(request), 400, 505);
    }

    @Test
    void largeHeadersAreRefusedWith431() throws Exception {
        assertRefused(send(RawHttp.get("/", "X-Big: " + "a".repeat(100 * 1024))), 431);
    }

    @ParameterizedTest
    @ValueSource(ints = {150, 250})
    void manyHeadersAreRefusedWith431(int count) throws Exception {
        assertRefused(send(RawHttp.get("/", headers(count))), 431);
    }

    /** Far past the limits the refusal still carries a status: never a bare reset. */
    @Test
    void hugeHeadersNeverReachTheBackend() throws Exception {
        assertRefused(send(RawHttp.get("/", "X-Huge: " + "a".repeat(1024 * 1024))), 431);
        assertRefused(send(RawHttp.get("/", headers(1000))), 431);
    }

    @Test
    void aHugeRequestLineIsRefusedWith414() throws Exception {
        assertRefused(send(RawHttp.get("/" + "a".repeat(400 * 1024))), 414);
    }

    /** Bare LF line ends: another parser in the chain might end the head elsewhere. */
    @ParameterizedTest
    @ValueSource(strings = {"POST /upload HTTP/1.1\nHost: x\nContent-Length: 5\n\nhello",
            "POST /upload HTTP/1.1\r\nHost: x\nContent-Length: 5\r\n\r\nhello"})
    void bareLfRequestHeadsAreRefused(String request) throws Exception {
        assertRefused(send(request), 400);
    }

    /**
     * A chunk size past a signed 64-bit number (16 hex digits from 8000000000000000, or 17) must not wrap
     * around to 5, as a reader that keeps 32 or 64 bits makes it: then "hello" would be the chunk, and the
     * GET behind it a second request, smuggled past whatever checked the first.
     */
    @ParameterizedTest
    @ValueSource(strings = {"F000000000000005", "10000000000000005"})
    void aBadChunkSizeIsRefusedAndSmugglesNothing(String size) throws Exception {
        RawHttp.Exchange ex = send("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + size
                + "\r\nhello\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(ex.response().status()).as("status (%s)", ex.response().ending()).isEqualTo(400);
        assertThat(ex.after()).as("what the proxy sent after its refusal, before it closed the connection").isEmpty();
        assertThat(backend.requestHeads()).as("requests that reached the backend")
                .noneMatch(head -> head.contains("/smuggled"));
    }

    @Test
    void aLegalTrailerIsForwardedAndSmugglesNothing() throws Exception {
        RawHttp.Exchange ex = send("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n5\r\nhello\r\n0\r\nX-Checksum: 5\r\n\r\n"
                + "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(ex.response().status()).as("status (%s)", ex.response().ending()).isEqualTo(200);
        assertThat(ex.response().bodyText()).isEqualTo("ok");
        assertThat(ex.after()).as("what the proxy sent after the answer, before it closed the connection").isEmpty();
        assertThat(backend.requestHeads()).as("requests that reached the backend").singleElement().asString()
                .startsWith("POST /upload HTTP/1.1\n");
    }

    /**
     * An upload that breaks off mid-body (the client's FIN, its reset, its silence past the idle timeout, a
     * malformed chunk) never reaches the backend as a complete request: no last chunk, not all of its
     * Content-Length. The backend has read part of the body before the client breaks off.
     */
    @ParameterizedTest
    @ValueSource(strings = {"chunked-fin", "chunked-reset", "chunked-idle", "chunked-malformed", "length-fin"})
    void aCutUploadNeverReachesTheBackendComplete(String cut) throws Exception {
        byte[] part = "a".repeat(32 * 1024).getBytes(StandardCharsets.ISO_8859_1);
        boolean chunked = cut.startsWith("chunked");
        String head = "POST /upload HTTP/1.1\r\nHost: x\r\n"
                + (chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + 2 * part.length) + "\r\n\r\n";
        try (RunningProxy cutting = RunningProxy.start("cut-upload", factory(), backend.url(), Server.loopback(0),
                Duration.ZERO, cut.endsWith("idle") ? Limits.DEFAULT.withIdleTimeout(SHORT) : Limits.DEFAULT);
             Socket s = RawHttp.connect(cutting.url())) {
            cutting.stats().quiet();
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(chunked ? (Integer.toHexString(part.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1)
                    : new byte[0]);
            out.write(part);
            out.write(chunked ? "\r\n".getBytes(StandardCharsets.ISO_8859_1) : new byte[0]);
            out.flush();
            await("the backend has part of the body").atMost(Deadlines.FAULT_FREE).pollInterval(Deadlines.BACKOFF)
                    .until(() -> backend.bodyBytes() > 0);
            switch (cut) {
                case "chunked-fin", "length-fin" -> s.shutdownOutput();
                case "chunked-reset" -> RawHttp.reset(s);
                case "chunked-malformed" -> out.write("zz\r\nhello\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                default -> { } // chunked-idle: silence, far past the idle timeout
            }
            HostileBackend.Body body = backend.requestBodies().poll(Deadlines.FAULT_FREE.toMillis(),
                    TimeUnit.MILLISECONDS);

            assertThat(body).as("the body the backend read").isNotNull();
            assertThat(body.complete()).as("the backend saw the cut body end as its framing says (%d bytes)",
                    body.bytes().length).isFalse();
        }
    }

    /**
     * Odd but legal request targets reach the backend byte for byte, as Go passes RawPath and RawQuery on:
     * characters java.net.URI refuses in a query, raw UTF-8 (sent here as its bytes), encoded slashes and
     * percents in a path. Strings are ISO-8859-1, one char per byte on the wire.
     */
    @ParameterizedTest
    @ValueSource(strings = {"/a?q=x|y", "/a?q={x}", "/a?q=^x", "/a?q=\"x\"", "/a?q=<x>", "/a?q=`x`",
            "/a?q=[x]\\y", "/a?q=caf\u00c3\u00a9", "/a?q=\u00e6\u0097\u00a5\u00e6\u009c\u00ac", "/a%2Fb",
            "/a%25b", "/a%2fb%3F?x=%2F&y=%25", "/a?x=1&x=2&&y=", "/a;v=1;w=2/b?x", "/~u/!$&'()*+,;=:@/",
            "/a?q=a+b%20c", "/a??x=?", "/%C3%A9t%C3%A9?%C3%A9=1", "/a?q=%00%0D%0A", "/a?", "/a/b/?q=/c/../d"})
    void oddButLegalTargetsReachTheBackendByteForByte(String target) throws Exception {
        RawHttp.Response res = RawHttp.exchange(proxy.url(), RawHttp.get(target));

        assertThat(res.bodyText()).as("the answer's body").doesNotContain(backend.url().getAuthority());
        assertThat(res.status()).as("status (%s): %s", res.ending(), res.bodyText()).isEqualTo(200);
        assertThat(backend.requestHeads()).as("requests that reached the backend").singleElement().asString()
                .startsWith("GET " + target + " HTTP/1.1\n");
    }

    /**
     * Paths a backend might resolve differently from whatever checked them in front of the proxy stay
     * refused: encoded dot segments, dot segments past the root, a dot segment with a parameter, an empty
     * segment, a backslash, a byte that is not UTF-8 (0xff).
     */
    @ParameterizedTest
    @ValueSource(strings = {"/a/%2e%2e/b", "/a/%2E/b", "/../etc/passwd", "/a/../../b", "/a/..;/b", "/a//b",
            "/a\\b", "/a/\u00ff"})
    void ambiguousPathsAreStillRefused(String target) throws Exception {
        assertRefused(send(RawHttp.get(target)), 400);
    }

    /** TRACE would echo the request back, credentials and the headers the proxy adds included: 405. */
    @Test
    void traceIsRefusedWith405() throws Exception {
        RawHttp.Exchange ex = send("TRACE / HTTP/1.1\r\nHost: x\r\nCookie: secret=1\r\n\r\n");

        assertRefused(ex, 405);
        assertThat(ex.response().header("Allow")).as("the Allow header of a 405").singleElement().asString()
                .contains("GET").doesNotContain("TRACE", "CONNECT");
    }

    /** A reverse proxy opens no tunnels: CONNECT is not implemented for any target, 501. */
    @Test
    void connectIsRefusedWith501() throws Exception {
        assertRefused(send("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"), 501);
    }

    /** Two Host headers: 400, and not a log line per request, which would let any client flood the log. */
    @Test
    void duplicateHostHeadersAreRefusedWithoutALogLineEach() throws Exception {
        long logged = proxy.stats().logged();
        String jetty = ServerLog.during(() -> {
            for (int i = 0; i < 20; i++) {
                assertRefused(send("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 400);
            }
        });

        assertThat(jetty).as("what the server logged for 20 such requests").isEmpty();
        assertThat(proxy.stats().logged() - logged).as("lines the proxy logged for them").isZero();
    }

    private static String[] headers(int n) {
        String[] many = new String[n];
        for (int i = 0; i < n; i++) {
            many[i] = "X-H" + i + ": v";
        }
        return many;
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n",
            "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
            "Content-Length: abc\r\n\r\nhello",
            "Content-Length: -1\r\n\r\n",
            "Transfer-Encoding: gzip\r\n\r\nhello",
            "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n"})
    void conflictingOrMalformedBodyFramingIsRefused(String headersAndBody) throws Exception {
        assertRefused(send("POST /upload HTTP/1.1\r\nHost: x\r\n" + headersAndBody), 400, 501);
    }

    @Test
    void aWellFormedRequestStillGoesThrough() throws Exception {
        RawHttp.Response res = send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello")
                .response();

        assertThat(res.status()).isEqualTo(200);
        assertThat(res.bodyText()).isEqualTo("ok");
        assertThat(backend.requestHeads()).singleElement().asString().startsWith("POST /upload HTTP/1.1\n");
    }

    /**
     * 64 clients send their request heads a byte at a time: none holds a worker, so a normal request is
     * answered between their bytes; once they fall silent, each is closed after the idle timeout.
     */
    @Test
    void slowRequestHeadsNeitherStopTheProxyNorStayOpen() throws Exception {
        byte[] head = RawHttp.get("/").getBytes(StandardCharsets.ISO_8859_1);
        List<Socket> slow = new ArrayList<>();
        try (RunningProxy quick = RunningProxy.start("slow-heads", factory(), backend.url(), Server.loopback(0),
                Duration.ZERO, Limits.DEFAULT.withIdleTimeout(SHORT))) {
            quick.stats().quiet();
            for (int i = 0; i < CLIENTS; i++) {
                slow.add(RawHttp.connect(quick.url()));
            }
            for (int b = 0; b < 3; b++) {
                for (Socket s : slow) {
                    writeQuietly(s, head[b]); // a slow machine may see the idle timeout close it first: fine
                }
                RawHttp.Response res = RawHttp.exchange(quick.url(), RawHttp.get("/"));
                assertThat(res.status()).as("a normal request between the slow bytes (%s)", res.ending()).isEqualTo(200);
            }
            for (Socket s : slow) { // silent from now on: the read ends when the proxy closes the connection
                assertThat(readToClose(s)).as("what a slow client got before the proxy closed it")
                        .doesNotStartWith("HTTP/1.1 200");
            }
            assertThat(backend.requestHeads()).as("requests that reached the backend").hasSize(3);
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    private static void writeQuietly(Socket s, byte b) {
        try {
            s.getOutputStream().write(b);
        } catch (IOException closedByTheProxy) {
            // the proxy closed it: what the test waits for later anyway
        }
    }

    /** What s receives until the proxy closes it; a SocketTimeoutException if it is still open after 30 s. */
    private static String readToClose(Socket s) throws IOException {
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        try {
            s.getInputStream().transferTo(got);
        } catch (java.net.SocketTimeoutException stillOpen) {
            throw stillOpen;
        } catch (IOException reset) {
            // closed with a reset: closed
        }
        return got.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * 64 clients read the head of an endless slow stream, then go away with a reset: with a flush interval
     * set, each worker's next flush fails, its next write fails at once, and the worker and its flusher are
     * free long before the stream would end; the proxy answered a normal request meanwhile.
     */
    @Test
    void clientsThatResetSlowStreamsFreeTheirWorkers() throws Exception {
        int flushersBefore = liveFlushWork();
        List<Socket> clients = new ArrayList<>();
        try (ProxyFixture fx = ProxyFixture.start("reset-streams", factory(), Duration.ofMillis(10))) {
            try {
                for (int i = 0; i < CLIENTS; i++) { // 100,000 chunks 100 ms apart: an endless stream here
                    Socket s = RawHttp.connect(fx.proxy().url());
                    clients.add(s);
                    s.getOutputStream().write(RawHttp.get("/stream?chunks=100000&size=100&delayMs=100" + streamLength())
                            .getBytes(StandardCharsets.ISO_8859_1));
                }
                for (Socket s : clients) {
                    RawHttp.readUntil(s.getInputStream(), "\r\n\r\n"); // its head: flushed, so its stream is on
                }
                assertThat(fx.get("/").body()).as("a normal request meanwhile").isEqualTo("hi");
            } finally {
                for (Socket s : clients) {
                    RawHttp.reset(s);
                }
            }
            await("workers and flushers free").atMost(Deadlines.FAULT_FREE).pollInterval(Deadlines.BACKOFF)
                    .untilAsserted(() -> {
                        assertThat(fx.proxy().server().busyWorkers()).as("busy workers").isZero();
                        assertThat(liveFlushWork()).as("live flushers").isEqualTo(flushersBefore);
                    });
        }
    }

    // Added for lesson-04, which has no flusher threads to count and flushes a chunked body after every write.

    /** The flush work alive now: the flusher threads; lesson-04 counts its delayed flushes armed or running. */
    protected int liveFlushWork() {
        return Flushers.count();
    }

    /** Appended to the /stream request: "" for a chunked body, "&length=true" for one with a Content-Length. */
    protected String streamLength() {
        return "";
    }

    static final int FEW_WORKERS = 4;

    /**
     * Four workers, no queue: four streams the backend holds open take them, the next three requests get 503
     * with Retry-After at once (never a silent close) and never reach the backend; once the backend lets go,
     * the four streams end complete.
     */
    @Test
    void requestsOverTheWorkerLimitGet503AndTheOthersComplete() throws Exception {
        overTheWorkerLimit(false);
    }

    /** The same on virtual threads (JDK 21+): the lesson's writer runs on a virtual worker. */
    @Test
    void requestsOverTheVirtualWorkerLimitGet503AndTheOthersComplete() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Server.virtualThreadsSupported(), "virtual threads need JDK 21+");
        overTheWorkerLimit(true);
    }

    private void overTheWorkerLimit(boolean virtual) throws Exception {
        Limits limits = Limits.DEFAULT.withWorkers(FEW_WORKERS, 0, Deadlines.FAULT_FREE).withVirtualThreads(virtual);
        List<Socket> held = new ArrayList<>();
        try (HeldBackend streams = HeldBackend.start();
             RunningProxy few = RunningProxy.start("few-workers", factory(), streams.url(), Server.loopback(0),
                     Duration.ofMillis(10), limits)) {
            few.stats().quiet();
            try {
                holdEveryWorker(few, streams, held);
                for (int i = 0; i < 3; i++) {
                    assertUnavailable(RawHttp.exchange(few.url(), RawHttp.get("/held")), "request " + (i + 1) + " over the limit");
                }
                assertThat(streams.arrived()).as("requests that reached the backend").isEqualTo(FEW_WORKERS);
                streams.release();
                assertHeldComplete(held);
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    /**
     * Four workers, a queue of two: with four streams held, two requests wait (holding no worker) and a third
     * gets 503 at once; once the backend lets go, the waiting two get their workers and all six end complete.
     */
    @Test
    void requestsWaitingForAWorkerAreServedWhenOneFrees() throws Exception {
        Limits limits = Limits.DEFAULT.withWorkers(FEW_WORKERS, 2, Deadlines.FAULT_FREE);
        List<Socket> clients = new ArrayList<>();
        try (HeldBackend streams = HeldBackend.start();
             RunningProxy few = RunningProxy.start("queue", factory(), streams.url(), Server.loopback(0),
                     Duration.ofMillis(10), limits)) {
            few.stats().quiet();
            try {
                holdEveryWorker(few, streams, clients);
                clients.add(sendHeld(few));
                clients.add(sendHeld(few));
                await("two requests wait").atMost(Deadlines.FAULT_FREE).pollInterval(Deadlines.BACKOFF)
                        .until(few.server()::waitingRequests, n -> n == 2);
                assertUnavailable(RawHttp.exchange(few.url(), RawHttp.get("/held")), "a request over the queue");
                assertThat(streams.arrived()).as("requests that reached the backend").isEqualTo(FEW_WORKERS);
                streams.release();
                assertHeldComplete(clients);
                assertThat(streams.arrived()).as("requests that reached the backend").isEqualTo(FEW_WORKERS + 2);
            } finally {
                for (Socket s : clients) {
                    s.close();
                }
            }
        }
    }

    /** A request that waits longer than the queue timeout for a worker gets 503, and never reaches the backend. */
    @Test
    void aRequestWaitingPastTheQueueTimeoutGets503() throws Exception {
        Limits limits = Limits.DEFAULT.withWorkers(FEW_WORKERS, 1, SHORT);
        List<Socket> held = new ArrayList<>();
        try (HeldBackend streams = HeldBackend.start();
             RunningProxy few = RunningProxy.start("queue-timeout", factory(), streams.url(), Server.loopback(0),
                     Duration.ofMillis(10), limits)) {
            few.stats().quiet();
            try {
                holdEveryWorker(few, streams, held);
                long start = System.nanoTime();
                assertUnavailable(RawHttp.exchange(few.url(), RawHttp.get("/held")), "a request that waited");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("how long it waited").isGreaterThanOrEqualTo(SHORT);
                assertThat(streams.arrived()).as("requests that reached the backend").isEqualTo(FEW_WORKERS);
                streams.release();
                assertHeldComplete(held);
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    /** FEW_WORKERS clients each ask for a held stream, until every worker holds one at the backend. */
    private static void holdEveryWorker(RunningProxy few, HeldBackend streams, List<Socket> clients) throws IOException {
        for (int i = 0; i < FEW_WORKERS; i++) {
            clients.add(sendHeld(few));
        }
        await("every worker holds a stream").atMost(Deadlines.FAULT_FREE).pollInterval(Deadlines.BACKOFF)
                .until(streams::arrived, n -> n == FEW_WORKERS);
    }

    /** A client that asked proxy for a held stream and reads nothing yet. */
    private static Socket sendHeld(RunningProxy proxy) throws IOException {
        Socket s = RawHttp.connect(proxy.url());
        s.getOutputStream().write(RawHttp.get("/held").getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        return s;
    }

    private static void assertUnavailable(RawHttp.Response res, String what) {
        assertThat(res.status()).as("%s: status (%s)", what, res.ending()).isEqualTo(503);
        assertThat(res.complete()).as("%s: a complete answer (%s)", what, res.ending()).isTrue();
        assertThat(res.header("Retry-After")).as("%s: Retry-After", what).containsExactly("1");
    }

    private static void assertHeldComplete(List<Socket> clients) throws IOException {
        for (Socket s : clients) {
            assertHeldComplete(RawHttp.read(s.getInputStream()));
        }
    }

    private static void assertHeldComplete(RawHttp.Response res) {
        assertThat(res.status()).as("a held stream's status (%s)", res.ending()).isEqualTo(200);
        assertThat(res.complete()).as("a held stream ended complete (%s)", res.ending()).isTrue();
        assertThat(res.bodyText()).as("a held stream's body").isEqualTo(HeldBackend.FIRST + HeldBackend.REST);
    }
}
