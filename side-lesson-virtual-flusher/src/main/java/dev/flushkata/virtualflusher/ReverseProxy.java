package dev.flushkata.virtualflusher;

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

/** Forwards every request to one backend and streams the answer back: Go's httputil.ReverseProxy. */
public final class ReverseProxy implements HttpHandler {

    private final BackendClient backend;
    private final Duration flushInterval; // Go's FlushInterval: 0 means never flush early
    private final ProxyStats stats;

    public ReverseProxy(BackendClient backend, Duration flushInterval, ProxyStats stats) {
        this.backend = backend;
        this.flushInterval = flushInterval;
        this.stats = stats;
    }

    /** Go's ServeHTTP. */
    @Override
    public void handle(HttpExchange exchange) throws IOException {
        HttpResponse<InputStream> res = backend.roundTrip(exchange);
        if (res == null) {
            return; // the backend failed; roundTrip has answered 502 or 504
        }
        try (InputStream body = res.body(); ResponseBody out = ResponseBody.start(exchange, res, stats)) {
            OutputStream dst = out;
            if (!flushInterval.isZero()) {
                dst = new MaxLatencyWriter(out, flushInterval, stats);
            }
            body.transferTo(dst);
            out.complete();
        }
    }
}
