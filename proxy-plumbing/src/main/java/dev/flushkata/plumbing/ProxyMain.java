package dev.flushkata.plumbing;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The command line of a lesson's executable jar: runs that lesson's proxy until killed. */
public final class ProxyMain {

    /** The options, with their defaults; picocli writes the usage from them. */
    @Command(name = "java -jar <lesson>.jar", sortOptions = false, usageHelpWidth = 100,
            description = "Runs this lesson's reverse proxy until killed.")
    static final class Options {
        @Option(names = "--backend", required = true, paramLabel = "URL", converter = Cli.HttpUrl.class,
                description = "where to forward, e.g. http://127.0.0.1:9000")
        URI backend;

        @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8080",
                converter = Cli.Address.class,
                description = "where to listen (default: ${DEFAULT-VALUE}; port 0 picks a free one)")
        InetSocketAddress listen;

        @Option(names = "--flush-interval", paramLabel = "D", defaultValue = "0", converter = Cli.Dur.class,
                description = "flush the response at least every D while copying, e.g. 100ms, 1s;"
                        + " 0 (default) never flushes early; negative: after every write (lesson-04 on;"
                        + " earlier lessons reject negative values)")
        Duration flushInterval;

        @Option(names = "--backend-timeout", paramLabel = "D", defaultValue = "30s", converter = Cli.Dur.class,
                description = "how long to wait for the backend's headers once the request is sent"
                        + " (default: ${DEFAULT-VALUE}): then 504")
        Duration backendTimeout;

        @Option(names = "--backend-idle-timeout", paramLabel = "D", defaultValue = "60s", converter = Cli.Dur.class,
                description = "the longest silence inside the backend's body (default: ${DEFAULT-VALUE}):"
                        + " then the response is aborted")
        Duration backendIdleTimeout;

        @Option(names = "--idle-timeout", paramLabel = "D", defaultValue = "30s", converter = Cli.Dur.class,
                description = "a client connection that sends or takes nothing for D is closed"
                        + " (default: ${DEFAULT-VALUE})")
        Duration idleTimeout;

        @Option(names = "--max-header-bytes", paramLabel = "N", defaultValue = "16384",
                description = "the request line and headers together (default: ${DEFAULT-VALUE}):"
                        + " more gets 431, a longer request line 414")
        int maxHeaderBytes;

        @Option(names = "--max-headers", paramLabel = "N", defaultValue = "100",
                description = "request header fields (default: ${DEFAULT-VALUE}): more gets 431")
        int maxHeaders;

        @Option(names = "--workers", paramLabel = "N", defaultValue = "200",
                description = "requests served at once, each holding a worker thread (default: ${DEFAULT-VALUE});"
                        + " a slow client holds none until its request head has arrived")
        int workers;

        @Option(names = "--queue", paramLabel = "N", defaultValue = "100",
                description = "requests over --workers that may wait for a worker, holding their connection"
                        + " but no thread (default: ${DEFAULT-VALUE}): one more gets 503 at once")
        int queue;

        @Option(names = "--queue-timeout", paramLabel = "D", defaultValue = "1s", converter = Cli.Dur.class,
                description = "the longest wait for a worker (default: ${DEFAULT-VALUE}): then 503;"
                        + " every 503 says Retry-After: 1")
        Duration queueTimeout;

        @Option(names = "--virtual-threads",
                description = "workers are virtual threads, a few KiB each, so that --workers can be"
                        + " thousands (JDK 21 or later; an error on earlier JDKs)")
        boolean virtualThreads;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this help and exit")
        boolean help;

        Limits limits() {
            return new Limits(idleTimeout, backendTimeout, backendIdleTimeout, maxHeaderBytes, maxHeaders, workers, queue,
                    queueTimeout, virtualThreads);
        }
    }

    private ProxyMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Lesson lesson = Lesson.only();
        RunningProxy proxy;
        try {
            proxy = start(lesson, args, System.out);
        } catch (ParameterException e) {
            System.exit(Cli.usageError(e, new PrintWriter(System.err, true)));
            return;
        }
        if (proxy == null) {
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(proxy::close, "proxy-shutdown"));
        new CountDownLatch(1).await(); // serve until killed
    }

    /** The usage, as --help prints it. */
    static String usage() {
        return new picocli.CommandLine(new Options()).getUsageMessage();
    }

    /** Parses args and starts lesson's proxy; prints the ready line, or the usage for --help (then null). */
    static RunningProxy start(Lesson lesson, String[] args, PrintStream out) {
        Options o = new Options();
        picocli.CommandLine cl = Cli.parse(o, args);
        if (cl.isUsageHelpRequested()) {
            out.print(cl.getUsageMessage());
            return null;
        }
        if (o.flushInterval.isNegative() && !lesson.acceptsNegativeFlushInterval()) {
            throw new ParameterException(cl, "--flush-interval must not be negative, got "
                    + Durations.format(o.flushInterval) + " (a later lesson gives negative values a meaning)");
        }
        if (o.virtualThreads && !Server.virtualThreadsSupported()) {
            throw new ParameterException(cl, "--virtual-threads: " + Server.VIRTUAL_THREADS_UNSUPPORTED);
        }
        if (o.virtualThreads && Runtime.version().feature() < 24) {
            // Before JEP 491 a virtual thread blocked inside synchronized holds its carrier: every lesson's writer
            // writes under a monitor, so as many slow clients as cores would stall every worker.
            System.err.println("warning: --virtual-threads on JDK " + Runtime.version().feature() + ": a worker blocked"
                    + " writing to a slow client inside the lesson's synchronized block pins its carrier thread;"
                    + " JDK 24 or later does not");
        }
        Limits limits;
        try {
            limits = o.limits();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, e.getMessage());
        }
        RunningProxy proxy;
        try {
            proxy = RunningProxy.start(lesson.name(), lesson, o.backend, o.listen, o.flushInterval, limits);
        } catch (java.io.UncheckedIOException e) {
            throw new ParameterException(cl, e.getMessage());
        }
        // The pid, so that jcmd PID Thread.print needs no guess when several JVMs run the same jar.
        out.printf("%s proxy listening on %s -> %s (flush interval %s, pid %d)%n",
                lesson.name(), proxy.url(), o.backend, Durations.format(o.flushInterval), ProcessHandle.current().pid());
        out.flush();
        return proxy;
    }
}
