package dev.flushkata.lesson03;

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
import java.util.function.Consumer;

/** Forwards every request to one backend and streams the answer back: Go's httputil.ReverseProxy. */
public final class ReverseProxy extends HttpServlet {

    private final BackendClient backend;
    private final Duration flushInterval; // Go's FlushInterval: 0 means never flush early
    private final ProxyStats stats;
    private final Consumer<OutputStream> beforeCopyResponse; // test hook: sees the stream the copy writes to
    private final Runnable onExitFlushLoop; // test hook: runs when a flusher's loop ends

    public ReverseProxy(BackendClient backend, Duration flushInterval, ProxyStats stats) {
        this(backend, flushInterval, stats, dst -> { }, () -> { });
    }

    /** With test hooks, Go's beforeCopyResponse and onExitFlushLoop; one proxy's hooks, not the package's. */
    ReverseProxy(BackendClient backend, Duration flushInterval, ProxyStats stats,
            Consumer<OutputStream> beforeCopyResponse, Runnable onExitFlushLoop) {
        this.backend = backend;
        this.flushInterval = flushInterval;
        this.stats = stats;
        this.beforeCopyResponse = beforeCopyResponse;
        this.onExitFlushLoop = onExitFlushLoop;
    }

    /** Go's ServeHTTP(rw, req). */
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse rw) throws IOException {
        BackendResponse res = backend.roundTrip(req, rw);
        if (res == null) {
            return; // the backend failed; roundTrip has answered 502 or 504
        }
        try (InputStream body = res.body(); ResponseBody out = ResponseBody.start(rw, res, stats)) {
            copyResponse(out, body);
            out.complete();
        }
    }

    /** Copies src to dst, flushing dst at least every flushInterval if one is set. */
    void copyResponse(OutputStream dst, InputStream src) throws IOException {
        MaxLatencyWriter mlw = null;
        if (!flushInterval.isZero()) {
            mlw = new MaxLatencyWriter(dst, flushInterval, stats, onExitFlushLoop);
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
}
