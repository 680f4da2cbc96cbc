package dev.flushkata.plumbing;

import java.util.List;
import java.util.Map;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;

/**
 * What a backend response must be before the proxy passes it on: one way to know where its body ends,
 * no control characters in its header fields, a head no larger than a request's may be. A response that
 * fails is a 502 and its connection is dropped; the client never gets a body that was framed one way and
 * read another, nor a reset for a head too large to pass on.
 */
final class Framing {

    private Framing() {
    }

    /** Collects res's header fields into headers; returns why res is malformed, or null. */
    static String check(ClassicHttpResponse res, Map<String, List<String>> headers, int maxHeaderBytes) {
        String reason = res.getReasonPhrase() == null ? "" : res.getReasonPhrase();
        long size = "HTTP/1.1 200 \r\n".length() + reason.length();
        for (Header h : res.getHeaders()) {
            if (hasControl(h.getName()) || hasControl(h.getValue())) {
                return "a control character in header " + printable(h.getName());
            }
            size += h.getName().length() + 2 + h.getValue().length() + 2;
        }
        if (size > maxHeaderBytes) { // more than the server passes on: the client would get a reset, no status
            return "its headers are too large (" + size + " bytes, at most " + maxHeaderBytes + ")";
        }
        BackendClient.collect(res.getHeaders(), headers);
        Header[] lengths = res.getHeaders("Content-Length");
        Header[] codings = res.getHeaders("Transfer-Encoding");
        if (lengths.length > 0 && codings.length > 0) {
            return "both Content-Length and Transfer-Encoding";
        }
        if (lengths.length > 1) {
            return "more than one Content-Length";
        }
        if (lengths.length == 1 && !lengths[0].getValue().trim().matches("\\d{1,18}")) {
            return "Content-Length is not one number";
        }
        if (codings.length > 1 || codings.length == 1 && !codings[0].getValue().trim().equalsIgnoreCase("chunked")) {
            return "a Transfer-Encoding other than chunked";
        }
        return null;
    }

    /** CR, LF, NUL and the other controls but tab never reach a header the client sees. */
    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    private static String printable(String s) {
        return s.replaceAll("[\\p{Cntrl}]", "?");
    }
}
