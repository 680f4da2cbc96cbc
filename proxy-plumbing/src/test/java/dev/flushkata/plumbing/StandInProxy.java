package dev.flushkata.plumbing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.time.Duration;

/** A lesson's ReverseProxy as the plumbing's own tests see it: forwards, never flushes early. */
public final class StandInProxy implements HttpHandler {

    private final BackendClient backend;
    private final ProxyStats stats;

    public StandInProxy(BackendClient backend, Duration flushInterval, ProxyStats stats) {
        this.backend = backend;
        this.stats = stats;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        var res = backend.roundTrip(exchange);
        if (res == null) {
            return;
        }
        try (var body = res.body(); ResponseBody out = ResponseBody.start(exchange, res, stats)) {
            body.transferTo(out);
            out.complete();
        }
    }
}
