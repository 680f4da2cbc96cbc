package dev.flushkata.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain socket, for what java.net.http refuses to send (Connection, TE, Upgrade,
 * malformed requests) and to see exactly how a response ended: complete, cut short, or reset.
 */
public final class RawHttp {

    /** How a response looked on the wire. */
    public record Response(int status, List<String[]> headers, byte[] body, boolean complete, String ending) {

        /** Values of a header, any case. */
        public List<String> header(String name) {
            return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).toList();
        }

        public String bodyText() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    /** One response and what followed it until the server closed the connection. */
    public record Exchange(Response response, String after) {
    }

    private RawHttp() {
    }

    /**
     * Sends request, reads one response, then reads on until the server closes the connection (a FIN or a
     * reset); a server that keeps it open 30 s fails with a SocketTimeoutException. after is what came
     * between the response and the close: a second response means a second request was answered.
     */
    public static Exchange exchangeToEnd(URI server, String request) throws IOException {
        try (Socket s = connect(server)) {
            IOException refusedMidWrite = send(s, request);
            InputStream in = s.getInputStream();
            Response res = readAfter(in, refusedMidWrite);
            ByteArrayOutputStream after = new ByteArrayOutputStream();
            try {
                in.transferTo(after);
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException reset) {
                // closed with a reset: closed all the same
            }
            return new Exchange(res, after.toString(StandardCharsets.ISO_8859_1));
        }
    }

    /** Sends raw bytes (a whole request) to server and reads one response; reads give up after 30 s. */
    public static Response exchange(URI server, String request) throws IOException {
        try (Socket s = connect(server)) {
            return readAfter(s.getInputStream(), send(s, request));
        }
    }

    /**
     * Writes request; a server that answers and closes before it has read all of a huge request makes the
     * write fail (a broken pipe), with its answer still there to read: that failure is returned, not thrown.
     */
    private static IOException send(Socket s, String request) {
        try {
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    /** Reads one response; when there is none, the write's failure (if any) goes with the read's. */
    private static Response readAfter(InputStream in, IOException refusedMidWrite) throws IOException {
        try {
            return read(in);
        } catch (IOException e) {
            if (refusedMidWrite != null) {
                e.addSuppressed(refusedMidWrite);
            }
            throw e;
        }
    }

    /** A socket connected to server whose reads give up after 30 s: for a client that takes its time. */
    public static Socket connect(URI server) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(server.getHost(), server.getPort()), (int) Deadlines.FAULT_FREE.toMillis());
            s.setSoTimeout((int) Deadlines.FAULT_FREE.toMillis());
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** Reads from in until what it read ends with marker (ISO-8859-1); returns it all. EOF before: an EOFException. */
    public static String readUntil(InputStream in, String marker) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (sb.indexOf(marker, Math.max(0, sb.length() - marker.length())) < 0) {
            int c = in.read();
            if (c < 0) {
                throw new java.io.EOFException("closed before \"" + marker + "\" arrived; got: " + sb);
            }
            sb.append((char) c);
        }
        return sb.toString();
    }

    /** Closes s with a TCP reset, as a client that crashed would. */
    public static void reset(Socket s) throws IOException {
        s.setSoLinger(true, 0);
        s.close();
    }

    /** A GET with the given extra header lines ("Name: value"), Connection: close. */
    public static String get(String target, String... headerLines) {
        StringBuilder sb = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n");
        for (String h : headerLines) {
            sb.append(h).append("\r\n");
        }
        return sb.append("Connection: close\r\n\r\n").toString();
    }

    /** Reads one response from in: status line, headers, body by length, chunks, or until close. */
    public static Response read(InputStream in) throws IOException {
        String statusLine;
        List<String[]> headers = new ArrayList<>();
        try {
            statusLine = line(in);
            if (statusLine == null) {
                return new Response(-1, List.of(), new byte[0], false, "closed before a status line");
            }
            for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
                int colon = l.indexOf(':');
                headers.add(new String[] {l.substring(0, colon).trim(), l.substring(colon + 1).trim()});
            }
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            return new Response(-1, List.of(), new byte[0], false, "reset before the body: " + e.getMessage());
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        String te = value(headers, "transfer-encoding");
        String cl = value(headers, "content-length");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
                while (true) {
                    String size = line(in);
                    if (size == null) {
                        return new Response(status, headers, body.toByteArray(), false, "closed inside chunked body");
                    }
                    int n = Integer.parseInt(size.split(";")[0].trim(), 16);
                    if (n == 0) {
                        line(in); // the blank line after the last chunk (no trailers here)
                        return new Response(status, headers, body.toByteArray(), true, "last chunk");
                    }
                    if (!copy(in, body, n)) {
                        return new Response(status, headers, body.toByteArray(), false, "closed inside a chunk");
                    }
                    line(in);
                }
            } else if (cl != null) {
                long n = Long.parseLong(cl);
                boolean all = copy(in, body, n);
                return new Response(status, headers, body.toByteArray(), all,
                        all ? "content-length" : "closed before content-length bytes");
            } else if (status == 204 || status == 304 || status < 200) {
                return new Response(status, headers, body.toByteArray(), true, "no body");
            } else {
                in.transferTo(body);
                return new Response(status, headers, body.toByteArray(), true, "connection close");
            }
        } catch (SocketTimeoutException e) {
            return new Response(status, headers, body.toByteArray(), false, "read timed out");
        } catch (IOException e) {
            return new Response(status, headers, body.toByteArray(), false, "reset: " + e.getMessage());
        }
    }

    private static boolean copy(InputStream in, ByteArrayOutputStream to, long n) throws IOException {
        byte[] buf = new byte[8192];
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) {
                return false;
            }
            to.write(buf, 0, r);
            n -= r;
        }
        return true;
    }

    private static String value(List<String[]> headers, String name) {
        return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).findFirst().orElse(null);
    }

    /** One CRLF-terminated line, without the CRLF; null at end of stream. */
    static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int len = sb.length();
                return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
            }
            sb.append((char) c);
        }
        return sb.length() == 0 ? null : sb.toString();
    }
}
