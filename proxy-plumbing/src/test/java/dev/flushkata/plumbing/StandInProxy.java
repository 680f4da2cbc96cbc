package dev.flushkata.plumbing;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;

/** A lesson's ReverseProxy as the plumbing's own tests see it: forwards, never flushes early. */
public final class StandInProxy extends HttpServlet {

    private final BackendClient backend;
    private final ProxyStats stats;

    public StandInProxy(BackendClient backend, Duration flushInterval, ProxyStats stats) {
        this.backend = backend;
        this.stats = stats;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse rw) throws IOException {
        var res = backend.roundTrip(req, rw);
        if (res == null) {
            return;
        }
        try (var body = res.body(); ResponseBody out = ResponseBody.start(rw, res, stats)) {
            body.transferTo(out);
            out.complete();
        }
    }
}
