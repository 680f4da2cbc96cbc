package dev.flushkata.plumbing;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The proxy's side of the backend: forwards one client request to the one backend and streams the answer. */
public final class BackendClient implements AutoCloseable {

    /** Headers java.net.http sets itself and refuses from callers; Host always names the backend. */
    private static final Set<String> SET_BY_CLIENT = Set.of("host", "content-length", "expect");

    private final URI target;
    private final Duration timeout;
    private final ProxyStats stats;
    private final ExecutorService executor;
    private final HttpClient client;

    /** A client for target; timeout bounds the wait for the backend's status line and headers. */
    public BackendClient(URI target, Duration timeout, ProxyStats stats) {
        this.target = target;
        this.timeout = timeout;
        this.stats = stats;
        this.executor = Executors.newCachedThreadPool(Server.daemonThreads(stats.name() + "-client-"));
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // no h2c upgrade attempts towards the backend
                .followRedirects(HttpClient.Redirect.NEVER) // redirects go back to the client, as they are
                .connectTimeout(timeout)
                .executor(executor)
                .build();
    }

    public URI target() {
        return target;
    }

    /**
     * Sends the exchange's request to the backend (Go's transport.RoundTrip) and returns its response,
     * body still streaming. If the request is refused (4xx, 501, 505: see RequestChecks) or the backend
     * fails (502, or 504 on timeout), answers the client itself, closes the exchange and returns null.
     */
    public HttpResponse<InputStream> roundTrip(HttpExchange in) throws IOException {
        stats.requestStarted();
        RequestChecks.Refusal refusal = RequestChecks.check(in);
        if (refusal != null) {
            return fail(in, refusal.status(), refusal.message());
        }
        HttpRequest out;
        try {
            out = outgoing(in);
        } catch (IllegalArgumentException e) {
            return fail(in, 400, "bad request: " + e.getMessage());
        }
        try {
            return client.send(out, BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            return fail(in, 504, "gateway timeout: the backend did not answer within " + Durations.format(timeout));
        } catch (IOException e) {
            return fail(in, 502, "bad gateway: the backend failed (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(in, 502, "bad gateway: interrupted");
        }
    }

    /** The request to the backend: same method, path, query, end-to-end headers and body. */
    HttpRequest outgoing(HttpExchange in) {
        Headers headers = in.getRequestHeaders();
        HttpRequest.Builder b = HttpRequest.newBuilder(targetFor(in.getRequestURI()))
                .timeout(timeout)
                .method(in.getRequestMethod(), bodyOf(in));
        Set<String> hop = HopByHop.namesIn(headers);
        headers.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!hop.contains(lower) && !SET_BY_CLIENT.contains(lower) && !lower.equals("x-forwarded-for")) {
                values.forEach(v -> b.header(name, v));
            }
        });
        b.header("X-Forwarded-For", forwardedFor(headers.get("X-Forwarded-For"),
                in.getRemoteAddress().getAddress().getHostAddress()));
        return b.build();
    }

    /** The backend URI for a request URI: only its path and query count, so every request goes to target. */
    URI targetFor(URI requestUri) {
        String base = target.getRawPath() == null ? "" : target.getRawPath();
        String path = requestUri.getRawPath() == null || requestUri.getRawPath().isEmpty() ? "/" : requestUri.getRawPath();
        String joined = base.endsWith("/") && path.startsWith("/") ? base + path.substring(1)
                : !base.endsWith("/") && !path.startsWith("/") ? base + "/" + path : base + path;
        String query = requestUri.getRawQuery() == null ? "" : "?" + requestUri.getRawQuery();
        return URI.create(target.getScheme() + "://" + target.getRawAuthority() + joined + query);
    }

    /** Appends client to the X-Forwarded-For values the request came with, as Go's httputil does. */
    static String forwardedFor(List<String> prior, String client) {
        return prior == null || prior.isEmpty() ? client : String.join(", ", prior) + ", " + client;
    }

    private static BodyPublisher bodyOf(HttpExchange in) {
        Headers h = in.getRequestHeaders();
        if (h.containsKey("Transfer-Encoding")) {
            return BodyPublishers.ofInputStream(in::getRequestBody); // length unknown: chunked to the backend
        }
        String length = h.getFirst("Content-Length");
        if (length == null) {
            return BodyPublishers.noBody();
        }
        long n = Long.parseLong(length.trim()); // HttpServer has already rejected malformed lengths
        return n == 0 ? BodyPublishers.noBody()
                : BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(in::getRequestBody), n);
    }

    private HttpResponse<InputStream> fail(HttpExchange in, int status, String message) throws IOException {
        stats.log(status + " " + message);
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        in.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        if (status < 500 || status == 505 || status == 501) {
            in.getResponseHeaders().set("Connection", "close"); // what follows on this connection is suspect
        }
        in.sendResponseHeaders(status, body.length);
        try (var out = in.getResponseBody()) {
            out.write(body);
        }
        in.close();
        return null;
    }

    /** Stops the client's threads. */
    @Override
    public void close() {
        shutdownNow(client);
        executor.shutdownNow();
    }

    /**
     * Stops client without waiting for exchanges in flight. HttpClient.shutdownNow() exists from JDK 21
     * (called reflectively, the baseline being 17); on 17 the client's selector thread ends once the
     * client is garbage-collected.
     */
    public static void shutdownNow(HttpClient client) {
        try {
            HttpClient.class.getMethod("shutdownNow").invoke(client);
        } catch (NoSuchMethodException e) {
            // JDK 17 to 20: nothing to call
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
