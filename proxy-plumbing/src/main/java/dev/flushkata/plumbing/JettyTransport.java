package dev.flushkata.plumbing;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamRequestContent;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The backend client the bench measured against Apache HttpClient: Jetty's (non-blocking; the body reaches
 * the servlet's thread through InputStreamResponseListener). Chosen with -Dkata.backend.client=jetty.
 */
final class JettyTransport implements AutoCloseable {

    static final String PROPERTY = "kata.backend.client";

    private final HttpClient client;
    private final Limits limits;

    JettyTransport(String name, Limits limits) {
        this.limits = limits;
        QueuedThreadPool threads = new QueuedThreadPool(limits.workers(), 2);
        threads.setName(name + "-jetty-client");
        threads.setDaemon(true);
        client = new HttpClient();
        client.setExecutor(threads);
        client.setFollowRedirects(false);
        client.setMaxConnectionsPerDestination(limits.workers());
        client.setConnectTimeout(limits.backendTimeout().toMillis());
        client.setIdleTimeout(limits.backendIdleTimeout().toMillis());
        client.setUserAgentField(null);
        client.getContentDecoderFactories().clear(); // bytes pass through as the backend encoded them
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean chosen() {
        return "jetty".equals(System.getProperty(PROPERTY));
    }

    /** Sends the request; the response once its headers are in. */
    BackendResponse send(String method, URI uri, List<String[]> headers, HttpServletRequest in, boolean withBody)
            throws IOException, TimeoutException {
        Request req = client.newRequest(uri).method(method).idleTimeout(limits.backendIdleTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
        req.headers(h -> headers.forEach(nv -> h.add(nv[0], nv[1])));
        if (withBody) {
            req.body(new InputStreamRequestContent(in.getInputStream()));
        }
        InputStreamResponseListener listener = new InputStreamResponseListener();
        req.send(listener);
        Response res;
        try {
            res = listener.get(limits.backendTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            req.abort(e);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        } catch (TimeoutException e) {
            req.abort(e);
            throw e;
        }
        Map<String, List<String>> fields = new LinkedHashMap<>();
        for (HttpField f : res.getHeaders()) {
            fields.computeIfAbsent(f.getName(), k -> new ArrayList<>()).add(f.getValue());
        }
        InputStream body = listener.getInputStream();
        return new BackendResponse(res.getStatus(), fields, body, new BackendResponse.Connection() {
            @Override
            public void abort() {
                res.abort(new IOException("aborted by the proxy"));
            }

            @Override
            public void release() throws IOException {
                body.close();
            }
        });
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
