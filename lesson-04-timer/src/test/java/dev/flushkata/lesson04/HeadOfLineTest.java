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
import java.lang.management.ManagementFactory;
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
 * lock; their delayed flushes wait for it. Next to them a normal client's first chunk must still be flushed
 * within 2 intervals of the backend sending it. The interval is 5 s, so the bound (10 s) is far above a busy
 * machine's scheduling noise, and far below the stall: once a delayed flush is seen blocked on a writer's
 * lock, a flush queued behind it on a one-thread timer waits for the server's 30 s idle timeout (measured
 * 29 s). The normal stream's second chunk comes a minute later, so its own end never flushes the first.
 */
@CheckThreadLeaks(ignore = Flushers.JDK_CLIENT_THREADS)
class HeadOfLineTest {

    static final Duration INTERVAL = Duration.ofSeconds(5);
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
                // A delayed flush (on whichever thread runs it) waits for a blocked write's lock: the stall is on.
                await("a delayed flush blocked behind a slow client's write").atMost(Deadlines.FAULT_FREE)
                        .pollInterval(Deadlines.BACKOFF).until(HeadOfLineTest::aFlushIsBlocked);

                long late = firstChunkLateness(fx.proxy().url());
                System.out.printf("next to a stalled and a trickling client, at %d ms: the first chunk came %d ms"
                        + " after the backend sent it%n", INTERVAL.toMillis(), late);
                assertThat(late).as("ms the first chunk arrived after the backend sent it, at interval %d ms",
                        INTERVAL.toMillis()).isLessThanOrEqualTo(2 * INTERVAL.toMillis());
            } finally {
                RawHttp.reset(stalled);
                RawHttp.reset(trickling); // ends the reader's read
                reader.join(Deadlines.FAULT_FREE.toMillis());
            }
        }
    }

    /** A max-latency thread (timer or flush) is BLOCKED on a monitor: a writer's lock held by a stuck write. */
    private static boolean aFlushIsBlocked() {
        return Arrays.stream(ManagementFactory.getThreadMXBean().dumpAllThreads(false, false))
                .anyMatch(t -> t.getThreadName().startsWith("max-latency-") && t.getThreadState() == Thread.State.BLOCKED);
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

    /** A stream whose second chunk comes a minute later, with a Content-Length: ms until its first chunk arrived. */
    private static long firstChunkLateness(URI proxy) throws IOException {
        try (Socket s = RawHttp.connect(proxy)) {
            s.setSoTimeout((int) Deadlines.FAULT_FREE.multipliedBy(2).toMillis()); // a stalled flush comes at 30 s
            long start = System.nanoTime();
            s.getOutputStream().write(RawHttp.get("/stream?chunks=2&size=16&delayMs=60000&length=true")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            assertThat(RawHttp.readUntil(in, "\r\n\r\n")).startsWith("HTTP/1.1 200");
            assertThat(in.readNBytes(16)).isEqualTo(StreamingBackend.content(0, 16));
            long late = (System.nanoTime() - start) / 1_000_000;
            RawHttp.reset(s); // the second chunk is not awaited
            return late;
        }
    }
}
