package dev.flushkata.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** This process's open file descriptors (sockets included), where the OS shows them in /proc/self/fd. */
public final class OpenFiles {

    private static final Path FDS = Path.of("/proc/self/fd");

    private OpenFiles() {
    }

    /** Whether {@link #count()} can count: Linux yes, macOS and Windows no. */
    public static boolean countable() {
        return Files.isDirectory(FDS);
    }

    /** The open descriptors now (the listing's own included, as in every count). */
    public static long count() {
        try (Stream<Path> fds = Files.list(FDS)) {
            return fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
