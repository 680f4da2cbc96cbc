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

/** Lesson-02's handler over the side lesson's writer: the same fix, try/finally stop(), cures it. */
public final class StoppingReverseProxy implements HttpHandler {

    private final BackendClient backend;
    private final Duration flushInterval;
    private final ProxyStats stats;

    public StoppingReverseProxy(BackendClient backend, Duration flushInterval, ProxyStats stats) {
        this.backend = backend;
        this.flushInterval = flushInterval;
        this.stats = stats;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        HttpResponse<InputStream> res = backend.roundTrip(exchange);
        if (res == null) {
            return;
        }
        try (InputStream body = res.body(); ResponseBody out = ResponseBody.start(exchange, res, stats)) {
            OutputStream dst = out;
            MaxLatencyWriter mlw = null;
            if (!flushInterval.isZero()) {
                mlw = new MaxLatencyWriter(out, flushInterval, stats);
                dst = mlw;
            }
            try {
                body.transferTo(dst);
            } finally {
                if (mlw != null) {
                    mlw.stop(); // Go's defer mlw.stop(): a virtual thread needs stopping like any other
                }
            }
            out.complete();
        }
    }
}
