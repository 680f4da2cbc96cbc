package dev.flushkata.virtualflusher;

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

/** Lesson-02's handler over the side lesson's writer: the same fix, try/finally stop(), cures it. */
public final class StoppingReverseProxy extends HttpServlet {

    private final BackendClient backend;
    private final Duration flushInterval;
    private final ProxyStats stats;

    public StoppingReverseProxy(BackendClient backend, Duration flushInterval, ProxyStats stats) {
        this.backend = backend;
        this.flushInterval = flushInterval;
        this.stats = stats;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse rw) throws IOException {
        BackendResponse res = backend.roundTrip(req, rw);
        if (res == null) {
            return;
        }
        try (InputStream body = res.body(); ResponseBody out = ResponseBody.start(rw, res, stats)) {
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
