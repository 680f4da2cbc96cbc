package dev.flushkata.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * The bytes waiting, unread, on a loopback TCP connection of this machine, where the OS shows them
 * (/proc/net/tcp and tcp6 on Linux): lets a test know that bytes it sent have arrived, without sleeping.
 */
public final class TcpQueues {

    private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));

    private TcpQueues() {
    }

    /** Whether {@link #unread} can tell: Linux yes, macOS and Windows no. */
    public static boolean readable() {
        return Files.isReadable(TABLES.get(0));
    }

    /**
     * The bytes received and not yet read by the socket whose local port is localPort and whose peer's
     * port is remotePort; empty when there is no such open socket (closed, say).
     */
    public static OptionalLong unread(int localPort, int remotePort) {
        for (Path table : TABLES) {
            List<String> lines;
            try {
                lines = Files.isReadable(table) ? Files.readAllLines(table) : List.of();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                // sl local_address rem_address st tx_queue:rx_queue ...; addresses are HEXIP:HEXPORT
                String[] f = line.trim().split("\\s+");
                boolean open = f[3].equals("01") || f[3].equals("08"); // ESTABLISHED, CLOSE_WAIT
                if (open && port(f[1]) == localPort && port(f[2]) == remotePort) {
                    return OptionalLong.of(Long.parseLong(f[4].substring(f[4].indexOf(':') + 1), 16));
                }
            }
        }
        return OptionalLong.empty();
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.indexOf(':') + 1), 16);
    }
}
