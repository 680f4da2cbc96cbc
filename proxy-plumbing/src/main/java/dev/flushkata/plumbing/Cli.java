package dev.flushkata.plumbing;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/** The kata's commands on picocli: its converters for durations, addresses and URLs, and exit code 2. */
public final class Cli {

    private Cli() {
    }

    /** Parses args into options (a picocli @Command); throws ParameterException for a bad command line. */
    public static CommandLine parse(Object options, String... args) {
        CommandLine cl = new CommandLine(options);
        cl.parseArgs(args);
        return cl;
    }

    /** Parses args into options for a main: null after printing the usage for --help; exits 2 on a bad one. */
    public static <T> T parseOrExit(T options, String... args) {
        try {
            CommandLine cl = parse(options, args);
            if (cl.isUsageHelpRequested()) {
                System.out.print(cl.getUsageMessage());
                return null;
            }
            return options;
        } catch (ParameterException e) {
            System.exit(usageError(e, new PrintWriter(System.err, true)));
            return null;
        }
    }

    /** Prints "error: message" and the usage to err; the exit code to use (2, picocli's for bad usage). */
    public static int usageError(ParameterException e, PrintWriter err) {
        err.println("error: " + e.getMessage());
        err.print(e.getCommandLine().getUsageMessage());
        err.flush();
        return e.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
    }

    /** "100ms", "1.5s", "2m": see Durations. */
    public static final class Dur implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** An http:// URL with a host and no query, such as http://127.0.0.1:9000. */
    public static final class HttpUrl implements ITypeConverter<URI> {
        @Override
        public URI convert(String value) {
            try {
                URI u = new URI(value);
                if ("http".equalsIgnoreCase(u.getScheme()) && u.getHost() != null && u.getRawQuery() == null) {
                    return u;
                }
            } catch (URISyntaxException e) {
                // the message below
            }
            throw new TypeConversionException("must be an http:// URL with a host, got '" + value + "'");
        }
    }

    /** host:port (IPv6 in brackets); port 0 picks a free port. */
    public static final class Address implements ITypeConverter<InetSocketAddress> {
        @Override
        public InetSocketAddress convert(String value) {
            int colon = value.lastIndexOf(':');
            if (colon <= 0) {
                throw new TypeConversionException("must be host:port, got '" + value + "'");
            }
            String host = value.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(value.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new TypeConversionException("bad port in '" + value + "'");
            }
            if (port < 0 || port > 65535) {
                throw new TypeConversionException("port out of range in '" + value + "'");
            }
            try {
                return new InetSocketAddress(InetAddress.getByName(host), port);
            } catch (UnknownHostException e) {
                throw new TypeConversionException("unknown host '" + host + "'");
            }
        }
    }
}
