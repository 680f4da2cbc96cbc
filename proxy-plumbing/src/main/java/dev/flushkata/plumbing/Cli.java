package dev.flushkata.plumbing;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
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
        return parseOrExit(() -> parse(options, args).isUsageHelpRequested() ? null : options, options);
    }

    /**
     * For a main whose parse checks more than picocli can (ranges, names): what parse returns; when that is
     * null (--help), the usage of command goes to stdout first; a bad command line prints the error and the
     * usage to stderr, then exits 2.
     */
    public static <T> T parseOrExit(Supplier<T> parse, Object command) {
        try {
            T options = parse.get();
            if (options == null) {
                System.out.print(new CommandLine(command).getUsageMessage());
            }
            return options;
        } catch (ParameterException e) {
            System.exit(usageError(e, new PrintWriter(System.err, true)));
            return null;
        }
    }

    /** A value that picocli's own checks cannot judge: reported like theirs, with the usage of spec's command. */
    public static ParameterException bad(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** value, when min <= value <= max; else a usage error that names the option. */
    public static int between(CommandSpec spec, String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw bad(spec, option + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    /** Prints "error: message" and the usage to err; the exit code to use (2, picocli's for bad usage). */
    public static int usageError(ParameterException e, PrintWriter err) {
        err.println("error: " + e.getMessage());
        err.print(e.getCommandLine().getUsageMessage());
        err.flush();
        return e.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
    }

    /** A converter from a parse function: its IllegalArgumentException's message is what picocli prints. */
    public abstract static class ByParse<T> implements ITypeConverter<T> {
        private final Function<String, T> parse;

        protected ByParse(Function<String, T> parse) {
            this.parse = parse;
        }

        @Override
        public T convert(String value) {
            try {
                return parse.apply(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** "100ms", "2s", "0": see Durations. */
    public static final class Dur extends ByParse<Duration> {
        public Dur() {
            super(Durations::parse);
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
