package dev.flushkata.lesson04;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.flushkata.plumbing.BackendClient;
import dev.flushkata.plumbing.ProxyStats;
import dev.flushkata.plumbing.ResponseBody;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Consumer;

/** Forwards every request to one backend and streams the answer back: Go's httputil.ReverseProxy. */
public final class ReverseProxy implements HttpHandler {

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

    /** Go's ServeHTTP. */
    @Override
    public void handle(HttpExchange exchange) throws IOException {
        HttpResponse<InputStream> res = backend.roundTrip(exchange);
        if (res == null) {
            return; // the backend failed; roundTrip has answered 502 or 504
        }
        try (InputStream body = res.body(); ResponseBody out = ResponseBody.start(exchange, res, stats)) {
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
