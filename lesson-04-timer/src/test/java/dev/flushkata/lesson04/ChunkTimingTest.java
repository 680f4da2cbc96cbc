package dev.flushkata.lesson04;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flushkata.leakcheck.CheckThreadLeaks;
import dev.flushkata.plumbing.StreamingBackend;
import dev.flushkata.testkit.Deadlines;
import dev.flushkata.testkit.Flushers;
import dev.flushkata.testkit.ProxyFixture;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * When each chunk of a slow stream reaches the client, for the three kinds of response Go tells apart:
 * a known length (flushed by the timer, within one interval), an unknown length and server-sent events
 * (flushed after every write, whatever the interval). What is asserted holds on any machine: a chunk the
 * proxy must flush arrives while the backend pauses a whole minute before the next. How late each chunk is
 * against the backend alone is measured and printed, not asserted.
 */
@CheckThreadLeaks(ignore = Flushers.JDK_CLIENT_THREADS)
class ChunkTimingTest {

    static final String KNOWN = "&length=true";
    static final String UNKNOWN = "";
    static final String SSE = "&type=text/event-stream&length=true"; // a Content-Length, yet flushed at once

    @ParameterizedTest(name = "{0} at {1}: the first chunk arrives while the backend pauses")
    @CsvSource({"known length, 100ms", "known length, -1ns", "unknown length, 100ms", "unknown length, -1ns",
            "unknown length, 0", "event stream, 100ms", "event stream, -1ns", "event stream, 0"})
    void theFirstChunkArrivesWhileTheBackendPauses(String kind, String interval) throws Exception {
        try (ProxyFixture fx = ProxyFixture.start("chunk-timing", ReverseProxy::new, dev.flushkata.plumbing.Durations.parse(interval))) {
            // The second chunk comes a minute later: the first reaches the client only if the proxy flushes it.
            HttpResponse<InputStream> res = fx.stream("/stream?chunks=2&size=16&delayMs=60000" + query(kind));
            try (InputStream body = res.body()) {
                assertThat(Deadlines.within(Deadlines.FAULT_FREE, () -> body.readNBytes(16)))
                        .as("the first chunk, flushed while the backend pauses").isEqualTo(StreamingBackend.content(0, 16));
                fx.backend().close(); // ends the pause: the test is over
            }
        }
    }

    static final int CHUNKS = 4;
    static final int DELAY_MS = 300;

    @ParameterizedTest(name = "{0}: how late each chunk is, at 100ms and at -1")
    @CsvSource({"known length", "unknown length", "event stream"})
    void measuresHowLateEachChunkIs(String kind) throws Exception {
        String path = "/stream?chunks=" + CHUNKS + "&size=16&delayMs=" + DELAY_MS + query(kind);
        StringBuilder report = new StringBuilder(kind + ", backend pausing " + DELAY_MS + " ms between chunks:");
        for (String interval : new String[] {"100ms", "-1ns"}) {
            try (ProxyFixture fx = ProxyFixture.start("chunk-timing", ReverseProxy::new, dev.flushkata.plumbing.Durations.parse(interval))) {
                long[] direct = arrivals(fx.client(), fx.backend().url().resolve(path));
                long[] proxied = arrivals(fx.client(), fx.url(path));
                long[] extra = new long[CHUNKS];
                for (int i = 0; i < CHUNKS; i++) {
                    extra[i] = (proxied[i] - direct[i]) / 1_000_000;
                }
                report.append(String.format("%n  interval %-5s: each chunk later than from the backend alone by %s ms",
                        interval.equals("-1ns") ? "-1" : interval, Arrays.toString(extra)));
            }
        }
        System.out.println(report);
    }

    /** When each chunk arrived, in nanoseconds from the request's start; the bytes are checked too. */
    private static long[] arrivals(HttpClient client, URI uri) throws Exception {
        long start = System.nanoTime();
        HttpResponse<InputStream> res = client.send(HttpRequest.newBuilder(uri).timeout(Deadlines.FAULT_FREE).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        long[] at = new long[CHUNKS];
        try (InputStream body = res.body()) {
            for (int i = 0; i < CHUNKS; i++) {
                assertThat(body.readNBytes(16)).isEqualTo(StreamingBackend.content(16L * i, 16));
                at[i] = System.nanoTime() - start;
            }
            assertThat(body.read()).isEqualTo(-1);
        }
        return at;
    }

    private static String query(String kind) {
        return switch (kind) {
            case "known length" -> KNOWN;
            case "unknown length" -> UNKNOWN;
            case "event stream" -> SSE;
            default -> throw new IllegalArgumentException(kind);
        };
    }

}
