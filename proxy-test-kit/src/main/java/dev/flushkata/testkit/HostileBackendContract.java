package dev.flushkata.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import dev.flushkata.leakcheck.CheckThreadLeaks;
import dev.flushkata.plumbing.Limits;
import dev.flushkata.plumbing.ProxyFactory;
import dev.flushkata.plumbing.RunningProxy;
import dev.flushkata.plumbing.Server;
import dev.flushkata.testkit.HostileBackend.Reply;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A backend that breaks the rules never gets its bytes to the client as a well-formed answer, and never
 * holds the proxy: a malformed response is a 502 whose backend connection is dropped, a misframed body
 * never looks complete, and a backend that stalls frees its worker once the backend idle timeout passes.
 * The backend here is a raw socket that answers each path as scripted below.
 */
@CheckThreadLeaks(ignore = Flushers.JDK_CLIENT_THREADS)
public abstract class HostileBackendContract {

    static final int CLIENTS = 64;
    static final Duration SHORT = Duration.ofMillis(500); // a timeout the tests wait out, so short

    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";

    /** What the backend answers, by path. Those that end up malformed or stalled keep their connection open. */
    private static final Map<String, Reply> SCRIPT = Map.ofEntries(
            Map.entry("/ok", Reply.thenClose(OK)),
            Map.entry("/bad-status", Reply.thenHold("HTTP/1.1 2OO OK\r\nContent-Length: 2\r\n\r\nok")),
            Map.entry("/nul", Reply.thenHold("HTTP/1.1 200 OK\r\nX-A: a\0b\r\nContent-Length: 2\r\n\r\nok")),
            Map.entry("/huge-headers", Reply.thenHold("HTTP/1.1 200 OK\r\nX-Huge: " + "a".repeat(1024 * 1024)
                    + "\r\nContent-Length: 2\r\n\r\nok")),
            Map.entry("/length-list", Reply.thenHold("HTTP/1.1 200 OK\r\nContent-Length: 5, 10\r\n\r\nhello")),
            Map.entry("/bare-cr", Reply.thenHold("HTTP/1.1 200 OK\r\nX-A: a\rSet-Cookie: evil=1\r\n"
                    + "Content-Length: 2\r\n\r\nok")),
            Map.entry("/length-and-chunked", Reply.thenHold("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")),
            // 0x100000005: 5 to a reader that keeps 32 bits, which then takes the rest as the final chunk.
            Map.entry("/huge-chunk", Reply.thenClose("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "100000005\r\nhello\r\n0\r\n\r\n")),
            Map.entry("/two-lengths", Reply.thenHold("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 10\r\n"
                    + "\r\nhello")),
            Map.entry("/no-content", Reply.thenClose("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n"
                    + "Connection: close\r\n\r\n")),
            Map.entry("/headers-10k", Reply.thenClose(withHeaders(10) + "ok")),
            Map.entry("/headers-30k", Reply.thenHold(withHeaders(30) + "ok")),
            // A refusal before the body: a server that does not want the upload does not read it.
            Map.entry("/early-401", Reply.beforeTheBody("HTTP/1.1 401 Unauthorized\r\nContent-Length: 4\r\n"
                    + "Connection: close\r\n\r\nnope")),
            // Headers and a first chunk, then silence for as long as the connection lasts.
            Map.entry("/stall", Reply.thenHold("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")));

    /** A 200 head with n headers of 1,000 bytes each, then a body of 2 bytes. */
    private static String withHeaders(int n) {
        StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\n");
        for (int i = 0; i < n; i++) {
            head.append("X-H").append(i).append(": ").append("a".repeat(1000)).append("\r\n");
        }
        return head.append("Content-Length: 2\r\nConnection: close\r\n\r\n").toString();
    }

    private HostileBackend backend;
    private final List<AutoCloseable> open = new ArrayList<>();

    /** The lesson's ReverseProxy constructor. */
    protected abstract ProxyFactory factory();

    @BeforeEach
    void startBackend() throws Exception {
        backend = HostileBackend.start(head -> {
            String path = head.split(" ", 3)[1];
            return SCRIPT.getOrDefault(path, Reply.thenClose("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
                    + "Connection: close\r\n\r\n"));
        });
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        backend.close();
    }

    private RunningProxy start(Duration flushInterval, Limits limits) throws Exception {
        RunningProxy proxy = RunningProxy.start(getClass().getSimpleName(), factory(), backend.url(),
                Server.loopback(0), flushInterval, limits);
        proxy.stats().quiet();
        open.add(0, proxy);
        return proxy;
    }

    private static RawHttp.Response get(RunningProxy proxy, String path) throws Exception {
        return RawHttp.exchange(proxy.url(), RawHttp.get(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/bad-status", "/nul", "/huge-headers", "/length-list"})
    void aMalformedResponseIsABadGateway(String path) throws Exception {
        RunningProxy proxy = start(Duration.ZERO, Limits.DEFAULT);
        RawHttp.Response res = get(proxy, path);

        assertThat(res.status()).as("status (%s)", res.ending()).isEqualTo(502);
        assertThat(res.bodyText()).startsWith("bad gateway");
    }

    /**
     * Each malformed response, 25 times: the proxy must drop every such backend connection. The backend
     * holds its side until the proxy closes it, so a leaked one stays open on both sides: two descriptors
     * of this process (the proxy runs in it) and a connection the backend counts.
     */
    @Test
    void malformedResponsesLeaveNoBackendSocketBehind() throws Exception {
        assumeThat(OpenFiles.countable()).as("/proc/self/fd lists this process's descriptors").isTrue();
        RunningProxy proxy = start(Duration.ZERO, Limits.DEFAULT);
        List<String> paths = List.of("/bad-status", "/nul", "/huge-headers", "/length-list");
        for (String path : paths) { // once first: what the first time opens for good (a jar, say) is no leak
            assertThat(get(proxy, path).status()).isEqualTo(502);
        }
        await("the backend connections of the first round closed").atMost(Deadlines.FAULT_FREE)
                .pollInterval(Deadlines.BACKOFF).until(() -> backend.openConnections() == 0);
        long baseline = OpenFiles.count();

        for (int i = 0; i < 25; i++) {
            for (String path : paths) {
                assertThat(get(proxy, path).status()).as(path).isEqualTo(502);
            }
        }

        await("descriptors back to the baseline").atMost(Deadlines.FAULT_FREE).pollInterval(Deadlines.BACKOFF)
                .untilAsserted(() -> {
                    assertThat(backend.openConnections()).as("backend connections the proxy left open").isZero();
                    assertThat(OpenFiles.count()).as("open descriptors after 100 malformed responses")
                            .isLessThanOrEqualTo(baseline);
                });
    }

    @Test
    void aBareCrInABackendHeaderNeverBecomesAHeader() throws Exception {
        RunningProxy proxy = start(Duration.ZERO, Limits.DEFAULT);
        RawHttp.Response res = get(proxy, "/bare-cr");

        assertThat(res.header("Set-Cookie")).as("headers the client got").isEmpty();
        assertThat(res.status()).as("status (%s)", res.ending()).isEqualTo(502);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/length-and-chunked", "/huge-chunk", "/two-lengths"})
    void aMisframedResponseNeverLooksComplete(String path) throws Exception {
        RunningProxy proxy = start(Duration.ZERO, Limits.DEFAULT);
        RawHttp.Response res = get(proxy, path);

        assertThat(res.status() == 502 || !res.complete())
                .as("a 502 or a cut body, not status %d with a complete body (%s): %s", res.status(), res.ending(),
                        res.bodyText())
                .isTrue();
    }

    /** A 204 has no body, so no Content-Length (RFC 9110 8.6): the proxy drops the backend's, as Go does. */
    @Test
    void aNoContentResponseWithAContentLengthIsAnsweredWithoutIt() throws Exception {
        RunningProxy proxy = start(Duration.ZERO, Limits.DEFAULT);
        RawHttp.Response res = get(proxy, "/no-content");

        assertThat(res.status()).as("status (%s)", res.ending()).isEqualTo(204);
        assertThat(res.header("Content-Length")).as("the client's Content-Length").isEmpty();
        assertThat(res.complete()).as("a complete answer (%s)", res.ending()).isTrue();
    }

    /**
     * Backend headers within the header limit (16 KB by default) pass; past it they are a 502 and one line
     * in the log, never a reset with no status.
     */
    @Test
    void backendHeadersPastTheLimitAreABadGatewayLoggedOnce() throws Exception {
        RunningProxy proxy = start(Duration.ZERO, Limits.DEFAULT);
        RawHttp.Response within = get(proxy, "/headers-10k");
        assertThat(within.status()).as("10 KB of headers: status (%s)", within.ending()).isEqualTo(200);
        assertThat(within.header("X-H9")).singleElement().asString().hasSize(1000);

        long logged = proxy.stats().logged();
        RawHttp.Response res = get(proxy, "/headers-30k");

        assertThat(res.status()).as("30 KB of headers: status (%s)", res.ending()).isEqualTo(502);
        assertThat(res.bodyText()).startsWith("bad gateway");
        assertThat(proxy.stats().logged() - logged).as("lines logged for it").isEqualTo(1);
    }

    /**
     * A client that asks before uploading 8 MB (Expect: 100-continue) to a backend that refuses at once gets
     * the backend's 401: the proxy passes Expect on and answers what came back. (Had the proxy sent the body
     * anyway, this backend reads it after its answer, so the 401 still comes; a backend that hung up instead
     * would have made it a 502.)
     */
    @Test
    void anEarlyRefusalOfAnExpectContinueUploadReachesTheClient() throws Exception {
        RunningProxy proxy = start(Duration.ZERO, Limits.DEFAULT);
        int size = 8 << 20;
        RawHttp.Response res;
        try (Socket s = RawHttp.connect(proxy.url())) {
            s.getOutputStream().write(("PUT /early-401 HTTP/1.1\r\nHost: x\r\nContent-Length: " + size
                    + "\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            res = RawHttp.read(s.getInputStream());
            if (res.status() == 100) { // the body is asked for: a client sends it, then reads the answer
                s.getOutputStream().write(new byte[size]);
                res = RawHttp.read(s.getInputStream());
            }
        }

        assertThat(res.status()).as("status (%s): %s", res.ending(), res.bodyText()).isEqualTo(401);
        assertThat(res.bodyText()).isEqualTo("nope");
        assertThat(backend.requestHeads()).as("what the backend was asked").singleElement().asString()
                .containsIgnoringCase("\nExpect: 100-continue\n");
    }

    /**
     * 64 backends send headers and a first chunk, then nothing, and their clients go away: once the backend
     * idle timeout has passed, no worker and no flusher is left, and the proxy answered others meanwhile.
     */
    @Test
    void stalledBackendsReleaseWorkersAndFlushersAfterTheBackendIdleTimeout() throws Exception {
        int flushersBefore = Flushers.count();
        RunningProxy proxy = start(Duration.ofMillis(10), Limits.DEFAULT.withBackendIdleTimeout(SHORT));
        List<Socket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < CLIENTS; i++) {
                Socket s = RawHttp.connect(proxy.url());
                clients.add(s);
                s.getOutputStream().write(RawHttp.get("/stall").getBytes(StandardCharsets.ISO_8859_1));
            }
            await("the backend has every request").atMost(Deadlines.FAULT_FREE).pollInterval(Deadlines.BACKOFF)
                    .until(() -> backend.requestHeads().size() == CLIENTS);

            RawHttp.Response other = get(proxy, "/ok");
            assertThat(other.status()).as("another request meanwhile (%s)", other.ending()).isEqualTo(200);
            assertThat(other.bodyText()).isEqualTo("ok");
        } finally {
            for (Socket s : clients) {
                RawHttp.reset(s);
            }
        }

        await("workers and flushers released").atMost(Deadlines.FAULT_FREE).pollInterval(Deadlines.BACKOFF)
                .untilAsserted(() -> {
                    assertThat(proxy.server().busyWorkers()).as("busy workers").isZero();
                    assertThat(Flushers.count()).as("live flushers").isEqualTo(flushersBefore);
                    assertThat(backend.openConnections()).as("backend connections still open").isZero();
                });
    }

    // A pooled backend connection: never reused with bytes nobody asked for on it (issue 22), and a
    // kept-alive connection the backend closed costs no request (issue 23). Each test has its own backend.

    private static final String FORGED = "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nforged";
    private static final String KEPT_OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"; // no close: pooled
    // No body: the client library pools the connection before the proxy answers, so the next request,
    // sent once the client has that answer, finds it there; the backend serves no other connection meanwhile.
    private static final Reply KEPT = Reply.thenNext("HTTP/1.1 204 No Content\r\n\r\n");

    /** Answers whose bytes go on past the response's end, on a connection the backend then holds open. */
    private static final Map<String, Reply> UNSOLICITED = Map.of(
            "/forged-second", Reply.thenHold(KEPT_OK + FORGED),
            "/head-body", Reply.thenHold("HTTP/1.1 200 OK\r\nContent-Length: " + FORGED.length() + "\r\n\r\n"
                    + FORGED),
            "/no-content-body", Reply.thenHold("HTTP/1.1 204 No Content\r\n\r\n" + FORGED),
            "/not-modified-body", Reply.thenHold("HTTP/1.1 304 Not Modified\r\nContent-Length: 7\r\n\r\nhello\r\n"),
            "/short-length", Reply.thenHold("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokay, and more\r\n"),
            "/late", Reply.thenHold(KEPT_OK)); // FORGED comes later, written by the test on the idle connection

    /**
     * A backend answers a request with more bytes than its response (a forged second response, a body
     * after a HEAD, 204 or 304 answer, a body longer than its Content-Length) or sends some later, on the
     * idle connection: the next request, from another client, gets its own answer on a new backend
     * connection, 100 times in a row. Reused, the connection would give it the bytes meant to poison it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"GET /forged-second", "HEAD /head-body", "GET /no-content-body", "GET /not-modified-body",
            "GET /short-length", "GET /late"})
    void bytesAfterAResponseNeverReachTheNextClient(String request) throws Exception {
        boolean late = request.endsWith("/late");
        if (late) {
            assumeThat(TcpQueues.readable()).as("/proc/net/tcp shows when the late bytes have arrived").isTrue();
        }
        HostileBackend backend = backend(head -> UNSOLICITED.getOrDefault(path(head), Reply.thenClose(
                "HTTP/1.1 200 OK\r\nContent-Length: 4\r\nConnection: close\r\n\r\nnext")));
        RunningProxy proxy = proxyTo(backend);
        int backendPort = backend.url().getPort();
        for (int round = 1; round <= 100; round++) {
            RawHttp.exchange(proxy.url(), request + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            if (!late) { // the bytes came with the response: its connection is closed when it ends, not pooled
                int closed = round;
                await("round " + round + ": the proxy closing the connection, before any other request")
                        .atMost(Deadlines.FAULT_FREE).pollInterval(Deadlines.BACKOFF)
                        .until(() -> backend.closedByProxy() == closed);
            } else {
                // the backend holds the connection once its answer is written, maybe after the client has it
                await("the backend holding the one connection it answered on").atMost(Deadlines.FAULT_FREE)
                        .pollInterval(Deadlines.BACKOFF).until(() -> backend.openConnections() == 1);
                List<Integer> ports = backend.writeToHeld(FORGED);
                assertThat(ports).as("connections the late bytes went to").hasSize(1);
                await("the late bytes in the proxy's socket, or the proxy closed it").atMost(Deadlines.FAULT_FREE)
                        .pollInterval(Deadlines.BACKOFF).until(() -> {
                            OptionalLong unread = TcpQueues.unread(ports.get(0), backendPort);
                            return unread.isEmpty() || unread.getAsLong() > 0;
                        });
            }
            int accepted = backend.connectionsAccepted();

            RawHttp.Response next = get(proxy, "/next");

            assertThat(next.bodyText()).as("round %d: the next client's answer (status %d, %s)", round, next.status(),
                    next.ending()).isEqualTo("next");
            assertThat(backend.connectionsAccepted()).as("round %d: backend connections opened for the next request",
                    round).isEqualTo(accepted + 1);
        }
    }

    /**
     * The backend closes each connection right after its answer, with no Connection: close (as one whose
     * keep-alive timeout is shorter than the pause between requests): the proxy's pooled connection is
     * dead when the next request comes. An idempotent request without a body is sent again on a new
     * connection, as Go's Transport does, so 20 of 20 get their answer.
     */
    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
    void aKeptAliveConnectionTheBackendClosedCostsNoRequest(String method) throws Exception {
        HostileBackend backend = backend(head -> Reply.thenClose(head.startsWith("HEAD ")
                ? "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n" : KEPT_OK));
        RunningProxy proxy = proxyTo(backend);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            statuses.add(RawHttp.exchange(proxy.url(), request(method, "/closes-after-answering", null)).status());
        }

        assertThat(statuses).as("20 %s requests one after another, each connection closed by the backend", method)
                .allMatch(status -> status == 200);
    }

    /**
     * A request is sent again only when nothing at all came back: here an interim 103 came on the kept-alive
     * connection before it closed, so the answer had begun and the client gets a 502, the request sent once.
     */
    @Test
    void aRequestIsNotSentAgainOnceItsAnswerBegan() throws Exception {
        HostileBackend backend = backend(head -> path(head).equals("/keep") ? KEPT
                : Reply.thenClose("HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"));
        RunningProxy proxy = proxyTo(backend);
        assertThat(get(proxy, "/keep").status()).isEqualTo(204);

        RawHttp.Response res = get(proxy, "/hints-then-close");

        assertThat(res.status()).as("status (%s)", res.ending()).isEqualTo(502);
        assertThat(heads(backend, "/hints-then-close")).as("times the backend got the request").isEqualTo(1);
        assertThat(backend.connectionsAccepted()).as("backend connections (the request went on the kept-alive one)")
                .isEqualTo(1);
    }

    /**
     * The backend reads a request on a kept-alive connection, then closes it without a byte: it may have
     * acted on it. One that is not idempotent, or whose body was streamed from the client, is never sent
     * again: the client gets a 502.
     */
    @ParameterizedTest
    @ValueSource(strings = {"POST", "PATCH", "POST hello", "PUT hello", "DELETE hello"})
    void aRequestThatCannotBeRepeatedIsSentOnce(String request) throws Exception {
        String[] methodAndBody = request.split(" ");
        HostileBackend backend = backend(head -> path(head).equals("/keep") ? KEPT
                : Reply.thenClose(""));
        RunningProxy proxy = proxyTo(backend);
        assertThat(get(proxy, "/keep").status()).isEqualTo(204);

        RawHttp.Response res = RawHttp.exchange(proxy.url(), request(methodAndBody[0], "/unanswered",
                methodAndBody.length > 1 ? methodAndBody[1] : null));

        assertThat(res.status()).as("status (%s)", res.ending()).isEqualTo(502);
        assertThat(heads(backend, "/unanswered")).as("times the backend got the request").isEqualTo(1);
    }

    /**
     * The same for a GET: it is sent once more, on a new connection, and when that fresh connection fails
     * too the client gets a 502: only a failure on a reused connection is retried.
     */
    @Test
    void anIdempotentRequestIsSentOnceMoreOnANewConnectionOnly() throws Exception {
        HostileBackend backend = backend(head -> path(head).equals("/keep") ? KEPT
                : Reply.thenClose(""));
        RunningProxy proxy = proxyTo(backend);
        assertThat(get(proxy, "/keep").status()).isEqualTo(204);

        RawHttp.Response res = get(proxy, "/unanswered");

        assertThat(res.status()).as("status (%s)", res.ending()).isEqualTo(502);
        assertThat(heads(backend, "/unanswered")).as("times the backend got the request").isEqualTo(2);
        assertThat(backend.connectionsAccepted()).as("backend connections").isEqualTo(2);
    }

    /** A status is the backend's answer, whatever it is: a 503 or a 429 goes to the client, never sent again. */
    @ParameterizedTest
    @ValueSource(ints = {429, 503})
    void aBusyBackendsAnswerIsPassedOn(int status) throws Exception {
        HostileBackend backend = backend(head -> Reply.thenClose("HTTP/1.1 " + status + " Busy\r\nRetry-After: 0\r\n"
                + "Content-Length: 4\r\nConnection: close\r\n\r\nbusy"));
        RunningProxy proxy = proxyTo(backend);

        RawHttp.Response res = get(proxy, "/busy");

        assertThat(res.status()).as("status (%s)", res.ending()).isEqualTo(status);
        assertThat(heads(backend, "/busy")).as("times the backend got the request").isEqualTo(1);
    }

    private HostileBackend backend(Function<String, Reply> script) throws IOException {
        HostileBackend b = HostileBackend.start(script);
        open.add(b); // after the proxies, which open puts first
        return b;
    }

    private RunningProxy proxyTo(HostileBackend b) throws IOException {
        RunningProxy proxy = RunningProxy.start(getClass().getSimpleName(), factory(), b.url(), Server.loopback(0),
                Duration.ZERO, Limits.DEFAULT);
        proxy.stats().quiet();
        open.add(0, proxy);
        return proxy;
    }

    private static String path(String head) {
        return head.split(" ", 3)[1];
    }

    private static long heads(HostileBackend b, String path) {
        return b.requestHeads().stream().filter(h -> path(h).equals(path)).count();
    }

    /** A request with Connection: close, and body (with its Content-Length) unless null. */
    private static String request(String method, String path, String body) {
        return method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                + (body == null ? "" : "Content-Length: " + body.length() + "\r\n")
                + "Connection: close\r\n\r\n" + (body == null ? "" : body);
    }
}
