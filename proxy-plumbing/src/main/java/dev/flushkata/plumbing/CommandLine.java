package dev.flushkata.plumbing;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** "--name value" options for the kata's commands; a bad one is a one-line error, the usage, exit code 2. */
public final class CommandLine {

    /** Thrown for a bad command line; main prints it with the usage and exits 2. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }

    private final Map<String, String> values = new HashMap<>();
    private final boolean help;

    private CommandLine(Map<String, String> values, boolean help) {
        this.values.putAll(values);
        this.help = help;
    }

    /** Reads args, accepting only the given option names (without "--"). */
    public static CommandLine parse(String[] args, Set<String> names) {
        Map<String, String> values = new HashMap<>();
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
                continue;
            }
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (!names.contains(name)) {
                throw new UsageException("unknown option '--" + name + "'");
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException("option '--" + name + "' needs a value");
                }
                value = args[++i];
            }
            values.put(name, value);
        }
        return new CommandLine(values, help);
    }

    public boolean help() {
        return help;
    }

    public String string(String name, String dflt) {
        return values.getOrDefault(name, dflt);
    }

    public Duration duration(String name, Duration dflt) {
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            return Durations.parse(v);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--" + name + ": " + e.getMessage());
        }
    }

    public int integer(String name, int dflt, int min, int max) {
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min || n > max) {
                throw new UsageException("--" + name + " must be between " + min + " and " + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + ": not a whole number: '" + v + "'");
        }
    }

    /** An http:// URL with a host, such as http://127.0.0.1:9000. */
    public URI httpUrl(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new UsageException("--" + name + " is required");
        }
        try {
            URI u = new URI(v);
            if (!"http".equalsIgnoreCase(u.getScheme()) || u.getHost() == null || u.getRawQuery() != null) {
                throw new UsageException("--" + name + " must be an http:// URL with a host, got '" + v + "'");
            }
            return u;
        } catch (java.net.URISyntaxException e) {
            throw new UsageException("--" + name + ": not a URL: '" + v + "'");
        }
    }

    /** host:port to listen on; dflt when absent; port 0 picks a free port. */
    public InetSocketAddress address(String name, String dflt) {
        String v = values.getOrDefault(name, dflt);
        int colon = v.lastIndexOf(':');
        if (colon <= 0) {
            throw new UsageException("--" + name + " must be host:port, got '" + v + "'");
        }
        String host = v.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(v.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + ": bad port in '" + v + "'");
        }
        if (port < 0 || port > 65535) {
            throw new UsageException("--" + name + ": port out of range in '" + v + "'");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new UsageException("--" + name + ": unknown host '" + host + "'");
        }
    }

    /**
     * For a main: the options parse returns; null after printing the usage when parse returns null (--help);
     * for a bad command line, the error and the usage on stderr, then exit code 2.
     */
    public static <T> T parseOrExit(java.util.function.Supplier<T> parse, String usage) {
        try {
            T options = parse.get();
            if (options == null) {
                System.out.print(usage);
            }
            return options;
        } catch (UsageException e) {
            System.exit(usageError(System.err, e.getMessage(), usage));
            return null;
        }
    }

    /** Prints "error: message" and the usage to err; the exit code to use (2). */
    public static int usageError(PrintStream err, String message, String usage) {
        err.println("error: " + message);
        err.print(usage);
        return 2;
    }
}
