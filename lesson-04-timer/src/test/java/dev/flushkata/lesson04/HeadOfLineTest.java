package dev.flushkata.lesson04;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flushkata.leakcheck.CheckThreadLeaks;
import dev.flushkata.plumbing.StreamingBackend;
import dev.flushkata.testkit.Deadlines;
import dev.flushkata.testkit.Flushers;
import dev.flushkata.testkit.ProxyFixture;
import dev.flushkata.testkit.RawHttp;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * One slow client must not stall the others' flushes. A client that stopped reading a large download and
 * one that reads it at 8 KB/s each keep their response's copy blocked in a write, holding the writer's
 * lock; their delayed flushes wait for it. Next to them a normal client's stream must still be flushed on
 * time: each chunk within 2 intervals of the backend sending it. The interval is a whole second, far above
 * a busy machine's scheduling noise; a flush queued behind a stuck one waits for the server's 30 s idle
 * timeout (measured 29 s on the one-thread timer), or as long as the trickle lasts.
 */
@CheckThreadLeaks(ignore = Flushers.JDK_CLIENT_THREADS)
class HeadOfLineTest {

    static final Duration INTERVAL = Duration.ofSeconds(1);
    static final int CHUNKS = 4;
    static final String DOWNLOAD = "/bytes?size=" + (64 << 20); // a Content-Length: flushed by the timer

    @Test
    void aStalledAndATricklingClientDoNotDelayAnotherClientsFlushes() throws Exception {
        try (ProxyFixture fx = ProxyFixture.start("head-of-line", ReverseProxy::new, INTERVAL)) {
            Socket stalled = download(fx.proxy().url()); // never reads
            Socket trickling = download(fx.proxy().url());
            Thread reader = new Thread(() -> trickle(trickling), "trickling-client");
            reader.setDaemon(true);
            reader.start();
            try {
                // Both downloads are under way: the backend is blocked writing them to the proxy.
                await("both downloads under way").atMost(Deadlines.FAULT_FREE).pollInterval(Deadlines.BACKOFF)
                        .until(() -> fx.backend().busyWorkers() >= 2);

                long[] late = lateness(fx.proxy().url());
                System.out.printf("next to a stalled and a trickling client, at %d ms: each chunk later than the"
                        + " backend sent it by %s ms%n", INTERVAL.toMillis(), Arrays.toString(late));
                assertThat(Arrays.stream(late).max().getAsLong()).as("ms the latest chunk arrived after the backend"
                        + " sent it, at interval %d ms: %s", INTERVAL.toMillis(), Arrays.toString(late))
                        .isLessThanOrEqualTo(2 * INTERVAL.toMillis());
            } finally {
                RawHttp.reset(stalled);
                RawHttp.reset(trickling); // ends the reader's read
                reader.join(Deadlines.FAULT_FREE.toMillis());
            }
        }
    }

    /** A client with a small receive window that sends GET DOWNLOAD and reads nothing yet. */
    private static Socket download(URI proxy) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(8 * 1024);
        s.connect(new InetSocketAddress(proxy.getHost(), proxy.getPort()), (int) Deadlines.FAULT_FREE.toMillis());
        s.getOutputStream().write(RawHttp.get(DOWNLOAD).getBytes(StandardCharsets.ISO_8859_1));
        return s;
    }

    /** Reads 1 KB every 125 ms (8 KB/s) until the socket is closed. */
    private static void trickle(Socket s) {
        byte[] buf = new byte[1024];
        try {
            InputStream in = s.getInputStream();
            while (in.read(buf) >= 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(125)); // the pace of a slow client, not a wait
            }
        } catch (IOException closed) {
            // the test is over
        }
    }

    /**
     * A stream of CHUNKS chunks, one INTERVAL apart, with a Content-Length: how long after the backend sent
     * each (from the request's start plus its pauses) it arrived, in ms.
     */
    private static long[] lateness(URI proxy) throws IOException {
        long delayMs = INTERVAL.toMillis();
        long[] late = new long[CHUNKS];
        try (Socket s = RawHttp.connect(proxy)) {
            long start = System.nanoTime();
            s.getOutputStream().write(RawHttp.get("/stream?chunks=" + CHUNKS + "&size=16&delayMs=" + delayMs
                    + "&length=true").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            assertThat(RawHttp.readUntil(in, "\r\n\r\n")).startsWith("HTTP/1.1 200");
            for (int i = 0; i < CHUNKS; i++) {
                assertThat(in.readNBytes(16)).isEqualTo(StreamingBackend.content(16L * i, 16));
                late[i] = (System.nanoTime() - start) / 1_000_000 - i * delayMs;
            }
        }
        return late;
    }
}
