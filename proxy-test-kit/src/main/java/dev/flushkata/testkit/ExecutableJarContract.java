package dev.flushkata.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flushkata.plumbing.StreamingBackend;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A lesson's executable jar, run the way the README runs it. Failsafe passes its path as lesson.jar. */
public abstract class ExecutableJarContract {

    /** Whether the lesson gives a negative --flush-interval a meaning (lesson-04 on); earlier jars reject it. */
    protected boolean acceptsNegativeFlushInterval() {
        return false;
    }

    static final Pattern URL = Pattern.compile("http://127\\.0\\.0\\.1:\\d+");

    static Path jar() {
        Path jar = Path.of(System.getProperty("lesson.jar", "missing: run with failsafe"));
        assertThat(jar).as("the lesson's executable jar").isRegularFile();
        return jar;
    }

    static Process java(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar().toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).start();
    }

    @Test
    void servesAfterPrintingItsReadyLine() throws Exception {
        servesWith("100ms");
    }

    @Test
    void aNegativeFlushIntervalIsServedWhereTheLessonAcceptsIt() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(acceptsNegativeFlushInterval(), "the lesson rejects it (below)");
        servesWith("-1ms");
    }

    private void servesWith(String flushInterval) throws Exception {
        try (StreamingBackend backend = StreamingBackend.start()) {
            Process p = java("--backend", backend.url().toString(), "--listen", "127.0.0.1:0",
                    "--flush-interval", flushInterval);
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                String ready = CompletableFuture.supplyAsync(() -> {
                    try {
                        return out.readLine();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).get(30, TimeUnit.SECONDS);
                Matcher m = URL.matcher(String.valueOf(ready));
                assertThat(m.find()).as("ready line: %s", ready).isTrue();
                assertThat(ready).matches(".* -> " + java.util.regex.Pattern.quote(backend.url().toString())
                        + " \\(flush interval " + flushInterval + ", pid " + p.pid() + "\\)");

                RawHttp.Response res = RawHttp.exchange(URI.create(m.group()), RawHttp.get("/"));
                assertThat(res.status()).isEqualTo(200);
                assertThat(res.bodyText()).isEqualTo("hi");
            } finally {
                p.destroy();
                assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("the proxy stops when killed").isTrue();
            }
        }
    }

    @Test
    void badArgumentsGiveOneErrorLineTheUsageAndExitCode2() throws Exception {
        boolean negativeIsBad = !acceptsNegativeFlushInterval();
        Process p = java("--backend", "http://127.0.0.1:9000", "--flush-interval", negativeIsBad ? "-1ms" : "soon");
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        List<String> err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();

        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(err.get(0)).startsWith(negativeIsBad ? "error: --flush-interval must not be negative"
                : "error: Invalid value for option '--flush-interval'");
        assertThat(err.get(1)).startsWith("Usage: java -jar <lesson>.jar");
        assertThat(Files.size(jar())).isPositive();
    }
}
