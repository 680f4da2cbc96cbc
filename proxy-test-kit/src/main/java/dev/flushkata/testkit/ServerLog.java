package dev.flushkata.testkit;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.logging.JettyLogger;
import org.eclipse.jetty.logging.StdErrAppender;
import org.slf4j.LoggerFactory;

/** What Jetty logs (the proxy's server and the client library log through it) while a piece of a test runs. */
final class ServerLog {

    /** A piece of a test that may throw. */
    interface Action {
        void run() throws Exception;
    }

    private ServerLog() {
    }

    /** Runs action and returns what the Jetty logger wrote meanwhile, from every thread. */
    static String during(Action action) throws Exception {
        // Every Jetty logger writes through the one appender of the logger factory.
        if (!(LoggerFactory.getLogger("org.eclipse.jetty") instanceof JettyLogger logger)
                || !(logger.getAppender() instanceof StdErrAppender appender)) {
            throw new IllegalStateException("Jetty does not log through its own stderr appender here");
        }
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        PrintStream before = appender.getStream();
        appender.setStream(new PrintStream(got, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            appender.setStream(before);
        }
        return got.toString(StandardCharsets.UTF_8);
    }
}
