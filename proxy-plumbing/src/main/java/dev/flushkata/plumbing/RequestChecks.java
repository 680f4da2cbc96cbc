package dev.flushkata.plumbing;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.util.List;
import java.util.Map;

/**
 * What a request must be before the proxy forwards it. HttpServer already refuses much (and what it refuses
 * differs between JDK releases); these checks hold on every JDK, and answer with a status, not a reset.
 */
final class RequestChecks {

    static final int MAX_HEADERS = 100;
    static final int MAX_HEADER_BYTES = 64 * 1024;

    /** Why a request is refused. */
    record Refusal(int status, String message) {
    }

    private RequestChecks() {
    }

    /** The refusal for in, or null when it may be forwarded. */
    static Refusal check(HttpExchange in) {
        String protocol = in.getProtocol();
        if (!"HTTP/1.1".equalsIgnoreCase(protocol) && !"HTTP/1.0".equalsIgnoreCase(protocol)) {
            return new Refusal(505, "HTTP version not supported: " + protocol);
        }
        Headers h = in.getRequestHeaders();
        int count = 0;
        long bytes = 0;
        for (Map.Entry<String, List<String>> e : h.entrySet()) {
            for (String v : e.getValue()) {
                count++;
                bytes += e.getKey().length() + v.length() + 4;
            }
        }
        if (count > MAX_HEADERS || bytes > MAX_HEADER_BYTES) {
            return new Refusal(431, "request header fields too large: " + count + " fields, " + bytes
                    + " bytes (at most " + MAX_HEADERS + " and " + MAX_HEADER_BYTES + ")");
        }
        List<String> te = h.get("Transfer-Encoding");
        List<String> cl = h.get("Content-Length");
        if (te != null && cl != null) {
            return new Refusal(400, "bad request: both Transfer-Encoding and Content-Length");
        }
        if (cl != null && (cl.size() > 1 || !cl.get(0).trim().matches("\\d{1,18}"))) {
            return new Refusal(400, "bad request: malformed Content-Length");
        }
        if (te != null && (te.size() > 1 || !te.get(0).trim().equalsIgnoreCase("chunked"))) {
            return new Refusal(501, "not implemented: Transfer-Encoding other than chunked");
        }
        return null;
    }
}
