package dev.flushkata.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flushkata.leakcheck.CheckThreadLeaks;
import dev.flushkata.plumbing.ProxyFactory;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The regression suite for the leak: every flusher ends when its response ends, however it ends, and
 * nothing flushes a finished response. lesson-02 and later pass it; lesson-01 fails it (exercise mode).
 * Each test's display name is the promise it checks; a red says which promise broke, in words, first.
 */
@CheckThreadLeaks(ignore = Flushers.JDK_CLIENT_THREADS)
public abstract class FlusherStopsContract {

    static final int REQUESTS = 100;

    private ProxyFixture fx;
    private int before; // flusher threads alive before the test's proxy started

    /** The lesson's ReverseProxy constructor. */
    protected abstract ProxyFactory factory();

    /**
     * The flush work alive now, which must end with its response: the lessons' flusher threads. A design
     * without a thread per response (lesson-04's shared timer) counts its delayed flushes armed and not done.
     */
    protected int liveFlushWork() {
        return Flushers.count();
    }

    /** What liveFlushWork() counts, as a failure says it. */
    protected String liveFlushWorkIs() {
        return "flusher thread(s) still alive";
    }

    private void awaitFlushersEnded(int before, dev.flushkata.plumbing.ProxyStats stats, String after) {
        Verdicts.awaitFlushWorkEnded(this::liveFlushWork, liveFlushWorkIs(), before, stats, after);
    }

    private ProxyFixture start(Duration flushInterval) {
        before = liveFlushWork();
        fx = ProxyFixture.start(getClass().getSimpleName(), factory(), flushInterval);
        return fx;
    }

    /** Whatever the test did, its responses are over once the proxy is closed: so are their flushers. */
    @AfterEach
    void close() {
        if (fx != null) {
            fx.close();
            awaitFlushersEnded(before, fx.proxy().stats(), "the test ended and its proxy closed");
        }
    }

    @Test
    @DisplayName("a slow stream is flushed while it streams, and its flusher ends with it")
    void aSlowStreamIsFlushedWhileItStreams() throws Exception {
        start(Duration.ofMillis(10));
        // The second chunk comes a minute later: unflushed, the first would wait for it in the server's buffer.
        HttpResponse<InputStream> res = Stuck.within(Deadlines.FAULT_FREE, "a slow stream",
                () -> fx.stream("/stream?chunks=2&size=16&delayMs=60000"));
        try (InputStream body = res.body()) {
            assertThat(Deadlines.within(Deadlines.FAULT_FREE, () -> body.readNBytes(16)))
                    .as("the first chunk, flushed while the backend pauses").hasSize(16);
            fx.backend().close(); // the backend goes away in its pause: the response ends, aborted
            awaitFlushersEnded(before, fx.proxy().stats(), "the backend went away mid-stream");
        }
    }

    @Test
    @DisplayName("every flusher ends when its response ends")
    void flushersEndWhenTheirResponsesEnd() throws Exception {
        start(Duration.ofMillis(1));
        for (int i = 0; i < REQUESTS; i++) {
            // Within a deadline: a handler that deadlocks in its finally never finishes the response.
            assertThat(Stuck.within(Deadlines.FAULT_FREE, "request " + (i + 1) + " of " + REQUESTS,
                    () -> fx.getBytes("/stream?chunks=3&size=100&delayMs=2")).body()).hasSize(300);
        }

        awaitFlushersEnded(before, fx.proxy().stats(), REQUESTS + " responses ended normally");
        Verdicts.assertNoLateFlushes(fx.proxy().stats());
    }

    @Test
    @DisplayName("the flusher ends when the client disconnects mid-stream")
    void theFlusherStopsWhenTheClientDisconnectsMidStream() throws Exception {
        start(Duration.ofMillis(5));
        try (Socket s = new Socket(fx.proxy().url().getHost(), fx.proxy().url().getPort())) {
            s.getOutputStream().write(RawHttp.get("/stream?chunks=200&size=1000&delayMs=20")
                    .getBytes(StandardCharsets.ISO_8859_1));
            assertThat(s.getInputStream().readNBytes(2000)).hasSize(2000); // headers and some body
            s.setSoLinger(true, 0); // close with a reset, as a client that crashed would
        }

        Verdicts.awaitQuietly("the handler notices the client is gone", () -> fx.proxy().server().busyWorkers() == 0);
        Verdicts.awaitQuietly("the backend stream is closed", () -> fx.backend().busyWorkers() == 0);
        awaitFlushersEnded(before, fx.proxy().stats(), "the client disconnected");
        Verdicts.assertNoLateFlushes(fx.proxy().stats());
    }

    @Test
    @DisplayName("the flusher ends when the backend dies mid-body")
    void theFlusherStopsWhenTheBackendDiesMidBody() throws Exception {
        start(Duration.ofMillis(5));
        for (int i = 0; i < 20; i++) {
            RawHttp.Response res = Stuck.within(Deadlines.FAULT_FREE, "a request whose backend dies mid-body",
                    () -> RawHttp.exchange(fx.proxy().url(), RawHttp.get("/die?after=3000")));
            assertThat(res.complete()).as("response %d ended by %s", i, res.ending()).isFalse();
        }

        awaitFlushersEnded(before, fx.proxy().stats(), "the backend died mid-body");
        Verdicts.assertNoLateFlushes(fx.proxy().stats());
    }
}
