package dev.flushkata.bench;

import dev.flushkata.plumbing.Server;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A server the bench runs in its own JVM (the bench's own JDK), so that its CPU time, threads and memory are
 * its own: started, read from outside (the OS, jcmd), stopped.
 */
final class ChildJvm implements AutoCloseable {

    private static final long READY_SECONDS = 60;

    final String label;
    private final Process process;
    private final ReadyLine ready;
    private final Path log;

    private ChildJvm(String label, Process process, ReadyLine ready, Path log) {
        this.label = label;
        this.process = process;
        this.ready = ready;
        this.log = log;
    }

    /** Runs java with args (its output going to log) until it prints its ready line on 127.0.0.1. */
    static ChildJvm start(String label, List<String> args, Path log) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(tool("java")));
        command.addAll(args);
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<ReadyLine> ready = new CompletableFuture<>();
        Server.daemonThreads("bench-log-" + label + "-").newThread(() -> copy(p, log, ready)).start();
        try {
            ReadyLine line = ready.get(READY_SECONDS, TimeUnit.SECONDS);
            if (line.pid().isPresent() && line.pid().getAsLong() != p.pid()) {
                throw new IOException(label + " says pid " + line.pid().getAsLong() + ", but its process is " + p.pid());
            }
            if (!line.loopback()) {
                throw new IOException(label + " listens on " + line.url() + ": the bench loads 127.0.0.1 only");
            }
            return new ChildJvm(label, p, line, log);
        } catch (ExecutionException | TimeoutException | IOException e) {
            stop(p);
            String why = e instanceof TimeoutException ? "no ready line in " + READY_SECONDS + " s"
                    : e instanceof ExecutionException ? e.getCause().getMessage() : e.getMessage();
            throw new IOException(label + " did not start (" + why + "); its output:\n  | " + tail(log)
                    + "\n  command: " + String.join(" ", command));
        } catch (InterruptedException e) {
            stop(p);
            throw e;
        }
    }

    /** Copies the JVM's output to log, completing ready at its ready line (or exceptionally when it ends first). */
    private static void copy(Process p, Path log, CompletableFuture<ReadyLine> ready) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
            for (String line; (line = in.readLine()) != null; ) {
                out.println(line);
                ReadyLine r = ready.isDone() ? null : ReadyLine.parse(line);
                if (r != null) {
                    ready.complete(r);
                }
            }
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
        ready.completeExceptionally(new IOException("it ended without a ready line"));
    }

    URI url() {
        return ready.url();
    }

    long pid() {
        return process.pid();
    }

    /** CPU time the JVM has used so far, user and system (from the OS, as ps shows it). */
    long cpuNanos() {
        return process.info().totalCpuDuration()
                .orElseThrow(() -> new IllegalStateException("the OS does not tell " + label + "'s CPU time")).toNanos();
    }

    /** {user, kernel} CPU time so far, in clock ticks; {-1, -1} where /proc does not tell. */
    long[] cpuTicks() {
        return ProcStatus.cpuTicks(pid());
    }

    /** Threads the JVM has started so far (its java.threads.started counter, read with jcmd), or -1 if unknown. */
    long threadsStarted() throws InterruptedException {
        try {
            Process jcmd = new ProcessBuilder(tool("jcmd"), Long.toString(pid()), "PerfCounter.print")
                    .redirectErrorStream(true).start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(jcmd));
            if (!jcmd.waitFor(30, TimeUnit.SECONDS)) {
                jcmd.destroyForcibly();
                return -1;
            }
            return PerfCounters.value(out.get(5, TimeUnit.SECONDS), "java.threads.started");
        } catch (IOException | ExecutionException | TimeoutException e) {
            return -1;
        }
    }

    /** A full GC in the JVM (jcmd PID GC.run), so that its memory holds what is live, not garbage; false if it failed. */
    boolean gc() throws InterruptedException {
        try {
            Process jcmd = new ProcessBuilder(tool("jcmd"), Long.toString(pid()), "GC.run").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!jcmd.waitFor(30, TimeUnit.SECONDS)) {
                jcmd.destroyForcibly();
                return false;
            }
            return jcmd.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Resident and peak resident memory now, in KiB (VmRSS, VmHWM); -1 each where /proc does not tell. */
    long[] residentKiB() {
        String status = ProcStatus.read(pid());
        return new long[] {ProcStatus.kib(status, "VmRSS"), ProcStatus.kib(status, "VmHWM")};
    }

    boolean alive() {
        return process.isAlive();
    }

    String logTail() {
        return tail(log);
    }

    /** Stops the JVM as Ctrl-C would (its shutdown hooks run, a JFR recording is written), then for sure. */
    @Override
    public void close() {
        stop(process);
    }

    private static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** A tool of the JDK the bench runs on: java, jcmd. */
    static String tool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    private static String readAll(Process p) {
        try {
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            return lines.isEmpty() ? "(none)" : String.join("\n  | ", lines.subList(Math.max(0, lines.size() - 10),
                    lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
