package dev.flushkata.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flushkata.leakcheck.CheckThreadLeaks;
import dev.flushkata.plumbing.ProxyFactory;
import dev.flushkata.plumbing.RunningProxy;
import java.time.Duration;
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

    private ScriptedBackend backend;
    private RunningProxy proxy;

    /** The lesson's ReverseProxy constructor. */
    protected abstract ProxyFactory factory();

    @BeforeEach
    void start() throws Exception {
        backend = ScriptedBackend.answering("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        proxy = RunningProxy.start("hostile", factory(), backend.url(), Duration.ofMillis(10));
        proxy.stats().quiet();
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        backend.close();
    }

    private RawHttp.Response send(String request) throws Exception {
        return RawHttp.exchange(proxy.url(), request);
    }

    /** The status is a client error (or 501), the connection is closed, the backend saw nothing. */
    private void assertRefused(RawHttp.Response res, int... statuses) {
        assertThat(res.status()).as("status (%s)", res.ending()).isIn((Object[]) box(statuses));
        assertThat(res.complete()).as("a complete answer, then the connection closed: %s", res.ending()).isTrue();
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

    @Test
    void manyHeadersAreRefusedWith431() throws Exception {
        assertRefused(send(RawHttp.get("/", headers(150))), 431);
    }

    /** Past HttpServer's own limits the JDK drops the connection itself (JDK 17 with no status at all). */
    @Test
    void hugeHeadersNeverReachTheBackend() throws Exception {
        for (String[] headers : new String[][] {{"X-Huge: " + "a".repeat(1024 * 1024)}, headers(1000)}) {
            RawHttp.Response res;
            try {
                res = send(RawHttp.get("/", headers));
            } catch (java.net.SocketException reset) {
                res = new RawHttp.Response(-1, java.util.List.of(), new byte[0], false, "reset");
            }
            assertThat(res.status()).as("status (%s)", res.ending()).isIn(-1, 400, 413, 431);
        }
        assertThat(backend.requestHeads()).isEmpty();
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
        RawHttp.Response res = send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");

        assertThat(res.status()).isEqualTo(200);
        assertThat(res.bodyText()).isEqualTo("ok");
        assertThat(backend.requestHeads()).singleElement().asString().startsWith("POST /upload HTTP/1.1\n");
    }
}
