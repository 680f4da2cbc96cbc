package dev.flushkata.testkit;

import dev.flushkata.plumbing.Server;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend whose every response is a stream it holds open until released: it sends its head and a first
 * chunk at once, the rest of the body only after {@link #release()}. It counts the requests that reached it.
 */
public final class HeldBackend implements AutoCloseable {

    /** The first chunk, sent with the head. */
    public static final String FIRST = "held:";
    /** The rest, sent once released: 64 KiB, more than any buffer on the way holds. */
    public static final String REST = "x".repeat(64 * 1024);

    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicInteger arrived = new AtomicInteger();
    private final Server server;

    private HeldBackend() {
        server = Server.start("held-backend", Server.loopback(0), new Holding());
    }

    /** Starts one on loopback. */
    public static HeldBackend start() {
        return new HeldBackend();
    }

    public URI url() {
        return server.url();
    }

    /** Requests that reached it so far. */
    public int arrived() {
        return arrived.get();
    }

    /** Lets every held response, and every later one, finish. */
    public void release() {
        released.countDown();
    }

    @Override
    public void close() {
        release();
        server.close();
    }

    private final class Holding extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse rw) throws IOException {
            arrived.incrementAndGet();
            rw.setContentType("text/plain");
            OutputStream out = rw.getOutputStream();
            out.write(FIRST.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            try {
                if (!released.await(Deadlines.FAULT_FREE.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IOException("never released"); // the stream ends with a reset, not as complete
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while held", e);
            }
            out.write(REST.getBytes(StandardCharsets.US_ASCII));
        }
    }
}
