package dev.flushkata.plumbing;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import java.util.EnumSet;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A servlet on Jetty 12, HTTP/1.1 only: strict parsing, header limits, an idle timeout on every
 * connection, and a bounded number of named workers (platform or virtual threads) that a slow client never
 * holds while its request head is still arriving; a request over the bound waits a little, then gets 503.
 */
public final class Server implements AutoCloseable {

    /**
     * Jetty's default URI checks, but %2F and %25 in a path pass: the proxy never decodes a path, it forwards
     * the raw one (as Go does), so they are not ambiguous here; the backend decodes them as it will. Encoded
     * dot segments, "//", ".." past the root and bad UTF-8 are still refused with a 400.
     */
    static final UriCompliance URI_COMPLIANCE = UriCompliance.DEFAULT.with("PROXY",
            UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR, UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING);

    private final org.eclipse.jetty.server.Server jetty;
    private final ServerConnector connector;
    private final InFlight inFlight;
    private final WorkerLimit limit;
    private final String name;

    private Server(org.eclipse.jetty.server.Server jetty, ServerConnector connector, InFlight inFlight,
            WorkerLimit limit, String name) {
        this.jetty = jetty;
        this.connector = connector;
        this.inFlight = inFlight;
        this.limit = limit;
        this.name = name;
    }

    /** Starts servlet on address with the default limits, workers named {name}-worker-{n}. */
    public static Server start(String name, InetSocketAddress address, HttpServlet servlet) {
        return start(name, address, servlet, Limits.DEFAULT);
    }

    /** The connector's acceptor and selector threads: taken from the pool, so added to it. */
    private static final int ACCEPTORS = 1;
    private static final int SELECTORS = 1;
    /** Pool threads beside the workers: one reserved for Jetty's hand-offs, two for short work (reading heads, answering 503). */
    private static final int RESERVED = 1;
    private static final int JETTY_THREADS = ACCEPTORS + SELECTORS + RESERVED + 2;
    /** What a client waiting for a worker is told: try again in a second. */
    static final String RETRY_AFTER_SECONDS = "1";

    /** Starts servlet on address, within limits. */
    public static Server start(String name, InetSocketAddress address, HttpServlet servlet, Limits limits) {
        if (limits.virtualThreads() && !virtualThreadsSupported()) {
            throw new IllegalArgumentException(VIRTUAL_THREADS_UNSUPPORTED);
        }
        // The pool holds the workers and Jetty's own threads, so that --workers N serves N requests at once;
        // with virtual workers it holds only Jetty's (a servlet's blocking work runs on a virtual thread).
        QueuedThreadPool workers = new QueuedThreadPool(
                limits.virtualThreads() ? 4 * JETTY_THREADS : limits.workers() + JETTY_THREADS, 2, 30_000);
        workers.setName(name + (limits.virtualThreads() ? "-jetty" : "-worker"));
        // No reserved thread with virtual workers: Jetty runs a request on the reserved thread that took over
        // the selector's work (a platform thread), and on a virtual one only when none is reserved.
        workers.setReservedThreads(limits.virtualThreads() ? 0 : RESERVED);
        if (limits.virtualThreads()) {
            workers.setVirtualThreadsExecutor(VirtualThreads.getNamedVirtualThreadsExecutor(name + "-worker-"));
        }
        workers.setDaemon(true);
        workers.setStopTimeout(200); // close() waits at most that for a busy worker (one blocked on a socket ends when RunningProxy closes the backend client)
        org.eclipse.jetty.server.Server jetty = new org.eclipse.jetty.server.Server(workers);
        jetty.setStopTimeout(0); // close() drops open exchanges at once, as the JDK server did

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(limits.maxHeaderBytes()); // a longer head: 431, a longer request line: 414
        // A backend's head passes up to the same size (Framing); room beyond it for the few fields Jetty adds.
        http.setMaxResponseHeaderSize(limits.maxHeaderBytes() + 1024);
        http.setHttpCompliance(HttpCompliance.STRICT); // no bare LF, no CL with TE, no repeated CL: 400
        http.setUriCompliance(URI_COMPLIANCE);
        http.setIdleTimeout(limits.idleTimeout().toMillis()); // a blocked read or write on the client's side
        ServerConnector connector = new ServerConnector(jetty, ACCEPTORS, SELECTORS, new HttpConnectionFactory(http));
        connector.setHost(address.getAddress().getHostAddress());
        connector.setPort(address.getPort());
        connector.setIdleTimeout(limits.idleTimeout().toMillis()); // a connection silent that long is closed
        connector.setAcceptQueueSize(128);
        jetty.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(name, servlet), "/*");
        InFlight inFlight = new InFlight();
        context.addFilter(new FilterHolder(inFlight), "/*", EnumSet.of(DispatcherType.REQUEST));
        WorkerLimit limit = new WorkerLimit(limits, context);
        jetty.setHandler(limit);
        ErrorHandler errors = new ErrorHandler();
        errors.setDefaultResponseMimeType("text/plain"); // Jetty's own refusals (400, 414, 431): one text line
        jetty.setErrorHandler(errors);
        try {
            jetty.start();
        } catch (Exception e) {
            try {
                jetty.stop();
            } catch (Exception ignored) {
                // best effort: the start already failed
            }
            throw new UncheckedIOException("cannot listen on " + hostPort(address) + ": " + e.getMessage(),
                    e instanceof IOException io ? io : new IOException(e));
        }
        return new Server(jetty, connector, inFlight, limit, name);
    }

    /** Why virtual workers cannot start on this JDK. */
    public static final String VIRTUAL_THREADS_UNSUPPORTED = "virtual threads need JDK 21 or later; this is JDK "
            + Runtime.version().feature();

    /** Whether this JDK has virtual threads (21 or later), which Limits.virtualThreads() asks for. */
    public static boolean virtualThreadsSupported() {
        return VirtualThreads.areSupported();
    }

    /** Loopback, the default for everything the kata starts. */
    public static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /** http://host:port of the bound socket (the real port when 0 was asked). */
    public URI url() {
        return URI.create("http://" + hostPort(new InetSocketAddress(connector.getHost(), port())));
    }

    public int port() {
        return connector.getLocalPort();
    }

    public String name() {
        return name;
    }

    /** Requests waiting for a worker now (at most Limits.queue()). */
    public int waitingRequests() {
        return limit.getSuspendedRequestCount();
    }

    /** Requests being handled now; 0 once every handler has returned. */
    public int busyWorkers() {
        return inFlight.count();
    }

    /** Stops accepting, drops open exchanges, and waits a little for the workers to end. */
    @Override
    public void close() {
        try {
            jetty.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop " + name, e);
        }
    }

    /**
     * At most limits.workers() requests inside the servlet; up to limits.queue() more wait for one, holding no
     * thread, at most limits.queueTimeout() each; any other gets 503 with Retry-After, never a silent close.
     */
    private static final class WorkerLimit extends QoSHandler {
        WorkerLimit(Limits limits, Handler next) {
            super(next);
            setMaxRequestCount(limits.workers());
            setMaxSuspendedRequestCount(limits.queue());
            setMaxSuspend(limits.queueTimeout());
        }

        @Override
        protected void reject(Request request, Response response, Callback callback, int status) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, RETRY_AFTER_SECONDS);
            super.reject(request, response, callback, status);
        }

        @Override
        protected void failSuspended(Request request, Response response, Callback callback, int status, Throwable failure) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, RETRY_AFTER_SECONDS);
            super.failSuspended(request, response, callback, status, failure);
        }
    }

    /**
     * Counts the requests inside the servlet. An IOException out of the servlet is the proxy's normal
     * business (a copy that failed: a backend that died, a client that left; the backend client answers
     * its own failures with a status): the response is aborted with a reset, quietly, as Go's server
     * aborts for ErrAbortHandler. Anything else still reaches Jetty, which logs it.
     */
    private static final class InFlight implements Filter {
        private final AtomicInteger count = new AtomicInteger();

        int count() {
            return count.get();
        }

        @Override
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                throws IOException, ServletException {
            count.incrementAndGet();
            try {
                chain.doFilter(req, res);
            } catch (IOException e) {
                ResponseBody.reset((jakarta.servlet.http.HttpServletResponse) res);
            } finally {
                count.decrementAndGet();
            }
        }
    }

    static String hostPort(InetSocketAddress a) {
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** Daemon threads named prefix1, prefix2, ... */
    public static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
