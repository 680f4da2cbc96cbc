package dev.flushkata.plumbing;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;

/**
 * What a request must be before the proxy forwards it, beyond what Jetty's strict parser already refuses
 * (malformed framing, bare LF, oversized heads): answered with a status, never a reset.
 */
final class RequestChecks {

    /** Why a request is refused. */
    record Refusal(int status, String message) {
    }

    /** The methods a 405 names: the proxy forwards any other method too, but TRACE and CONNECT. */
    static final String ALLOWED = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

    private RequestChecks() {
    }

    /** The refusal for in, or null when it may be forwarded. */
    static Refusal check(HttpServletRequest in, Limits limits) {
        if (in.getMethod().equals("TRACE")) { // it would echo credentials and the headers the proxy adds
            return new Refusal(405, "method not allowed: TRACE");
        }
        if (in.getMethod().equals("CONNECT")) { // a reverse proxy opens no tunnels, to any target
            return new Refusal(501, "not implemented: CONNECT");
        }
        String protocol = in.getProtocol();
        if (!"HTTP/1.1".equalsIgnoreCase(protocol) && !"HTTP/1.0".equalsIgnoreCase(protocol)) {
            return new Refusal(505, "HTTP version not supported: " + protocol);
        }
        int count = 0;
        for (String name : Collections.list(in.getHeaderNames())) {
            count += Collections.list(in.getHeaders(name)).size();
        }
        if (count > limits.maxHeaders()) {
            return new Refusal(431, "request header fields too large: " + count + " fields (at most "
                    + limits.maxHeaders() + ")");
        }
        String te = in.getHeader("Transfer-Encoding");
        if (te != null && !te.trim().equalsIgnoreCase("chunked")) {
            return new Refusal(501, "not implemented: Transfer-Encoding other than chunked");
        }
        return null;
    }
}
