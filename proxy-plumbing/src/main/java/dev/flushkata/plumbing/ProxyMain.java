package dev.flushkata.plumbing;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** The command line of a lesson's executable jar: runs that lesson's proxy until killed. */
public final class ProxyMain {

    static final String USAGE = """
            usage: java -jar <lesson>.jar --backend URL [--listen HOST:PORT] [--flush-interval D]
                                          [--backend-timeout D]
              --backend URL          where to forward, e.g. http://127.0.0.1:9000 (required)
              --listen HOST:PORT     where to listen (default 127.0.0.1:8080; port 0 picks a free one)
              --flush-interval D     flush the response at least every D while copying, e.g. 100ms, 1s;
                                     0 (default) never flushes early; negative: after every write
                                 (lesson-04 on; earlier lessons reject negative values)
              --backend-timeout D    how long to wait for the backend's headers (default 30s): then 504
            """;

    private ProxyMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Lesson lesson = Lesson.only();
        RunningProxy proxy;
        try {
            proxy = start(lesson, args, System.out);
        } catch (CommandLine.UsageException e) {
            System.exit(CommandLine.usageError(System.err, e.getMessage(), USAGE));
            return;
        }
        if (proxy == null) {
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(proxy::close, "proxy-shutdown"));
        new CountDownLatch(1).await(); // serve until killed
    }

    /** Parses args and starts lesson's proxy; prints the ready line, or the usage for --help (then null). */
    static RunningProxy start(Lesson lesson, String[] args, PrintStream out) {
        CommandLine cl = CommandLine.parse(args, Set.of("backend", "listen", "flush-interval", "backend-timeout"));
        if (cl.help()) {
            out.print(USAGE);
            return null;
        }
        var backend = cl.httpUrl("backend");
        var listen = cl.address("listen", "127.0.0.1:8080");
        Duration flushInterval = cl.duration("flush-interval", Duration.ZERO);
        if (flushInterval.isNegative() && !lesson.acceptsNegativeFlushInterval()) {
            throw new CommandLine.UsageException("--flush-interval must not be negative, got "
                    + Durations.format(flushInterval) + " (a later lesson gives negative values a meaning)");
        }
        Duration timeout = cl.duration("backend-timeout", RunningProxy.DEFAULT_BACKEND_TIMEOUT);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new CommandLine.UsageException("--backend-timeout must be positive");
        }
        RunningProxy proxy;
        try {
            proxy = RunningProxy.start(lesson.name(), lesson, backend, listen, flushInterval, timeout);
        } catch (java.io.UncheckedIOException e) {
            throw new CommandLine.UsageException(e.getMessage());
        }
        // The pid, so that jcmd PID Thread.print needs no guess when several JVMs run the same jar.
        out.printf("%s proxy listening on %s -> %s (flush interval %s, pid %d)%n",
                lesson.name(), proxy.url(), backend, Durations.format(flushInterval), ProcessHandle.current().pid());
        out.flush();
        return proxy;
    }
}
