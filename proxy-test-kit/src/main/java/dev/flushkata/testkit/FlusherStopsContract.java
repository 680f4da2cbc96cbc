package dev.flushkata.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flushkata.leakcheck.CheckThreadLeaks;
import dev.flushkata.plumbing.ProxyFactory;
import dev.flushkata.plumbing.ProxyStats;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The regression suite for the leak: every flusher ends when its response ends, however it ends, and
 * nothing flushes a finished response. lesson-02 and later pass it; lesson-01 fails it (exercise mode).
 */
@CheckThreadLeaks(ignore = Flushers.JDK_CLIENT_THREADS)
public abstract class FlusherStopsContract {

    static final int REQUESTS = 100;
    static final Duration SETTLE = Duration.ofSeconds(5);

    private ProxyFixture fx;

    /** The lesson's ReverseProxy constructor. */
    protected abstract ProxyFactory factory();

    private ProxyFixture start(Duration flushInterval) {
        fx = ProxyFixture.start(getClass().getSimpleName(), factory(), flushInterval);
        return fx;
    }

    @AfterEach
    void close() {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void aStreamingResponseHasAFlusherWhileItStreams() throws Exception {
        start(Duration.ofMillis(10));
        int before = Flushers.count();
        HttpResponse<InputStream> res = fx.stream("/stream?chunks=2&size=16&delayMs=500");
        try (InputStream body = res.body()) {
            assertThat(body.read()).isNotNegative(); // the first chunk: the copy is under way
            assertThat(Flushers.count()).as("flusher threads while the response streams").isGreaterThan(before);
            body.readAllBytes();
        }
    }

    @Test
    void flushersEndWhenTheirResponsesEnd() throws Exception {
        start(Duration.ofMillis(1));
        int before = Flushers.count();
        for (int i = 0; i < REQUESTS; i++) {
            assertThat(fx.getBytes("/stream?chunks=3&size=100&delayMs=2").body()).hasSize(300);
        }

        awaitFlushers(before);
        assertNoLateFlushes(fx.proxy().stats());
    }

    @Test
    void theFlusherStopsWhenTheClientDisconnectsMidStream() throws Exception {
        start(Duration.ofMillis(5));
        int before = Flushers.count();
        try (Socket s = new Socket(fx.proxy().url().getHost(), fx.proxy().url().getPort())) {
            s.getOutputStream().write(RawHttp.get("/stream?chunks=200&size=1000&delayMs=20")
                    .getBytes(StandardCharsets.ISO_8859_1));
            assertThat(s.getInputStream().readNBytes(2000)).hasSize(2000); // headers and some body
            s.setSoLinger(true, 0); // close with a reset, as a client that crashed would
        }

        await("the handler notices the client is gone").atMost(SETTLE)
                .until(() -> fx.proxy().server().busyWorkers() == 0);
        // The backend would stream for 4 s more; the proxy closing its side ends it within a chunk or two.
        await("the backend stream is closed").atMost(Duration.ofSeconds(2))
                .until(() -> fx.backend().busyWorkers() == 0);
        awaitFlushers(before);
        assertNoLateFlushes(fx.proxy().stats());
    }

    @Test
    void theFlusherStopsWhenTheBackendDiesMidBody() throws Exception {
        start(Duration.ofMillis(5));
        int before = Flushers.count();
        for (int i = 0; i < 20; i++) {
            RawHttp.Response res = RawHttp.exchange(fx.proxy().url(), RawHttp.get("/die?after=3000"));
            assertThat(res.complete()).as("response %d ended by %s", i, res.ending()).isFalse();
        }

        awaitFlushers(before);
        assertNoLateFlushes(fx.proxy().stats());
    }

    /** Polls until the flusher count is back to before: a count sampled once would be flaky. */
    static void awaitFlushers(int before) {
        await("flusher threads back to " + before).atMost(SETTLE).pollInterval(Duration.ofMillis(20))
                .until(Flushers::count, n -> n <= before);
    }

    static void assertNoLateFlushes(ProxyStats stats) {
        assertThat(stats.flushesAfterClose()).as("flushes after the response was finished").isZero();
        assertThat(stats.writesAfterClose()).as("writes after the response was finished").isZero();
    }
}
