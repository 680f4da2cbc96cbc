package dev.flushkata.lesson02;

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

/** Forwards every request to one backend and streams the answer back: Go's httputil.ReverseProxy. */
public final class ReverseProxy extends HttpServlet {

    private final BackendClient backend;
    private final Duration flushInterval; // Go's FlushInterval: 0 means never flush early
    private final ProxyStats stats;

    public ReverseProxy(BackendClient backend, Duration flushInterval, ProxyStats stats) {
        this.backend = backend;
        this.flushInterval = flushInterval;
        this.stats = stats;
    }

    /** Go's ServeHTTP(rw, req). */
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse rw) throws IOException {
        BackendResponse res = backend.roundTrip(req, rw);
        if (res == null) {
            return; // the backend failed; roundTrip has answered 502 or 504
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
                    mlw.stop(); // however the copy ended: Go's defer mlw.stop()
                }
            }
            out.complete();
        }
    }
}
