package dev.flushkata.lesson04;

import dev.flushkata.plumbing.BackendClient;
import dev.flushkata.plumbing.BackendResponse;
import dev.flushkata.plumbing.ProxyStats;
import dev.flushkata.plumbing.ResponseBody;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** Forwards every request to one backend and streams the answer back: Go's httputil.ReverseProxy. */
public final class ReverseProxy extends HttpServlet {

    private static final AtomicInteger TIMERS = new AtomicInteger(); // numbers the timer threads
    private static final AtomicInteger FLUSHERS = new AtomicInteger(); // numbers the flush threads
    // A flush blocks only while its own response is stuck (its copy holds mu writing to a client that does
    // not read, or the flush itself waits for it): at most one per response, so the server's 200 workers.
    static final int MAX_FLUSH_THREADS = 200;

    private final BackendClient backend;
    private final Duration flushInterval; // Go's FlushInterval: 0 means never flush early, negative after every write
    private final ProxyStats stats;
    private final Consumer<OutputStream> beforeCopyResponse; // test hook: sees the stream the copy writes to
    private final ScheduledThreadPoolExecutor timer; // fires every response's delayed flushes: Go's time.AfterFunc
    private final ThreadPoolExecutor flushes; // runs them, each in a thread of its own: AfterFunc's goroutine

    public ReverseProxy(BackendClient backend, Duration flushInterval, ProxyStats stats) {
        this(backend, flushInterval, stats, dst -> { });
    }

    /** With a test hook, Go's beforeCopyResponse; one proxy's hook, not the package's. */
    ReverseProxy(BackendClient backend, Duration flushInterval, ProxyStats stats,
            Consumer<OutputStream> beforeCopyResponse) {
        this.backend = backend;
        this.flushInterval = flushInterval;
        this.stats = stats;
        this.beforeCopyResponse = beforeCopyResponse;
        // One daemon thread, made on the first delayed flush and kept until destroy(): one thread per proxy,
        // not per request. After destroy(), a write arms a flush that never runs.
        this.timer = new ScheduledThreadPoolExecutor(1, daemons("max-latency-timer-", TIMERS),
                new ThreadPoolExecutor.DiscardPolicy());
        timer.setRemoveOnCancelPolicy(true); // a stopped response's flush leaves the queue at once
        // Idle threads are reused and end after a minute idle, so steady traffic starts none. Past the bound
        // the timer runs the flush itself, as it did before the hand-off; after destroy(), nothing runs it.
        this.flushes = new ThreadPoolExecutor(0, MAX_FLUSH_THREADS, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                daemons("max-latency-flush-", FLUSHERS), new ThreadPoolExecutor.CallerRunsPolicy());
    }

    /** Daemon threads named prefix-N: the proxy's threads never keep the JVM alive. */
    private static ThreadFactory daemons(String prefix, AtomicInteger count) {
        return r -> {
            Thread th = new Thread(r, prefix + count.incrementAndGet());
            th.setDaemon(true);
            return th;
        };
    }

    /** Go's ServeHTTP(rw, req). */
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse rw) throws IOException {
        BackendResponse res = backend.roundTrip(req, rw);
        if (res == null) {
            return; // the backend failed; roundTrip has answered 502 or 504
        }
        try (InputStream body = res.body(); ResponseBody out = ResponseBody.start(rw, res, stats)) {
            copyResponse(out, body, flushInterval(res));
            out.complete();
        }
    }

    /** Go's flushInterval(res): streams that must not wait are flushed after every write, whatever the setting. */
    Duration flushInterval(BackendResponse res) {
        String type = res.header("Content-Type") == null ? "" : res.header("Content-Type");
        if (type.split(";", 2)[0].strip().equalsIgnoreCase("text/event-stream")) {
            return Duration.ofNanos(-1); // server-sent events: each event as it comes
        }
        if (res.header("Content-Length") == null) {
            return Duration.ofNanos(-1); // unknown length: likely a stream (Go 1.16)
        }
        return flushInterval;
    }

    /** Copies src to dst, flushing dst at least every flushInterval if one is set. */
    void copyResponse(OutputStream dst, InputStream src, Duration flushInterval) throws IOException {
        MaxLatencyWriter mlw = null;
        if (!flushInterval.isZero()) {
            mlw = new MaxLatencyWriter(dst, flushInterval, stats, timer, flushes);
            dst = mlw;
        }
        try {
            beforeCopyResponse.accept(dst);
            src.transferTo(dst);
        } finally {
            if (mlw != null) {
                mlw.stop(); // however the copy ended: Go's defer mlw.stop()
            }
        }
    }

    /** Delayed flushes armed or running: 0 once every response has ended (tests). */
    int pendingFlushes() {
        return timer.getQueue().size() + flushes.getActiveCount();
    }

    /** Stops the timer and the flush threads: the server calls it once it has stopped handing this proxy requests. */
    @Override
    public void destroy() {
        timer.shutdownNow();
        flushes.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
            flushes.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
