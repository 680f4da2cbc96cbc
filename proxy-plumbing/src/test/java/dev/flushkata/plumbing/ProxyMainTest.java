package dev.flushkata.plumbing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParameterException;

/** The lesson jars' command line, with a stand-in lesson. */
class ProxyMainTest {

    static final Lesson STAND_IN = new Lesson("stand-in", StandInProxy.class.getName());

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private RunningProxy start(String... args) {
        return ProxyMain.start(STAND_IN, args, new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @Test
    void printsOneReadyLineWithTheUrlAndListensOnLoopbackByDefault() {
        try (RunningProxy proxy = start("--backend", "http://127.0.0.1:9", "--listen", "127.0.0.1:0",
                "--flush-interval", "100ms")) {
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("stand-in proxy listening on "
                    + proxy.url() + " -> http://127.0.0.1:9 (flush interval 100ms, pid " + ProcessHandle.current().pid() + ")\n");
            assertThat(proxy.url().getHost()).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void defaultsToNoFlushIntervalAndLoopbackPort8080() throws Exception {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(Server.loopback(8080));
        } catch (java.io.IOException busy) {
            return; // 8080 is taken on this machine: nothing to learn here
        }
        try (RunningProxy proxy = start("--backend", "http://127.0.0.1:9")) {
            assertThat(proxy.url().toString()).isEqualTo("http://127.0.0.1:8080");
            assertThat(proxy.flushInterval()).isZero();
        }
    }

    @Test
    void rejectsBadArgumentsWithOneLine() {
        assertThatThrownBy(() -> start("--backend", "http://127.0.0.1:9", "--flush-interval", "-5ms"))
                .isInstanceOf(ParameterException.class)
                .hasMessage("--flush-interval must not be negative, got -5ms "
                        + "(a later lesson gives negative values a meaning)");
        assertThatThrownBy(() -> start()).hasMessage("Missing required option: '--backend=URL'");
        assertThatThrownBy(() -> start("--backend", "ftp://x")).hasMessageContaining("must be an http:// URL");
        assertThatThrownBy(() -> start("--backend", "http://127.0.0.1:9", "--listen", "nohost"))
                .hasMessageContaining("must be host:port");
        assertThatThrownBy(() -> start("--backend", "http://127.0.0.1:9", "--flush-interval", "100"))
                .hasMessageContaining("needs a unit");
        assertThatThrownBy(() -> start("--backend", "http://127.0.0.1:9", "--bogus", "1"))
                .hasMessageContaining("Unknown option").hasMessageContaining("'--bogus'");
        assertThatThrownBy(() -> start("--backend")).hasMessageContaining("Missing required parameter for option '--backend'");
        assertThatThrownBy(() -> start("--backend", "http://127.0.0.1:9", "--workers", "0"))
                .hasMessageContaining("workers between 1 and 1000000");
        assertThatThrownBy(() -> start("--backend", "http://127.0.0.1:9", "--queue", "-1"))
                .hasMessageContaining("queue between 0 and 1000000");
        assertThatThrownBy(() -> start("--backend", "http://127.0.0.1:9", "--queue-timeout", "0"))
                .hasMessageContaining("queueTimeout must be positive");
    }

    @Test
    void aLessonThatAcceptsANegativeFlushIntervalGetsIt() {
        Lesson timer = new Lesson("stand-in", StandInProxy.class.getName(), java.util.Set.of(Lesson.NEGATIVE_FLUSH_INTERVAL));
        try (RunningProxy proxy = ProxyMain.start(timer, new String[] {"--backend", "http://127.0.0.1:9",
                "--listen", "127.0.0.1:0", "--flush-interval", "-1ms"}, new java.io.PrintStream(out, true, StandardCharsets.UTF_8))) {
            assertThat(proxy.flushInterval()).isEqualTo(java.time.Duration.ofMillis(-1));
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("(flush interval -1ms, pid ");
        }
    }

    @Test
    void aLessonsAcceptsAreReadFromItsDescriptor() throws Exception {
        java.util.Properties p = new java.util.Properties();
        p.load(new java.io.StringReader("lesson-03-x=a.ReverseProxy\nlesson-04-y=b.ReverseProxy\n"
                + "lesson-04-y.accepts=negative-flush-interval, something-else\n"));

        assertThat(Lesson.from(p)).extracting(Lesson::name).containsExactlyInAnyOrder("lesson-03-x", "lesson-04-y");
        assertThat(Lesson.from(p)).filteredOn(Lesson::acceptsNegativeFlushInterval).extracting(Lesson::name)
                .containsExactly("lesson-04-y");
        assertThat(STAND_IN.acceptsNegativeFlushInterval()).isFalse();
    }

    @Test
    void usageErrorPrintsTheErrorAndTheUsageAndReturns2() {
        StringWriter err = new StringWriter();
        ParameterException e = catchThrowableOfType(ParameterException.class, () -> start("--bogus"));
        int code = Cli.usageError(e, new PrintWriter(err));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).startsWith("error: ").contains("Usage: java -jar <lesson>.jar");
    }

    @Test
    void helpPrintsTheUsageWithEveryLimitAndItsDefault() {
        assertThat(start("--help")).isNull();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(ProxyMain.usage())
                .contains("--backend-timeout=D", "(default: 30s)", "--backend-idle-timeout=D", "(default: 60s)",
                        "--idle-timeout=D", "--max-header-bytes=N", "(default: 16384)", "--max-headers=N",
                        "--workers=N", "(default: 200)", "--queue=N", "(default: 100)", "--queue-timeout=D",
                        "(default: 1s)", "Retry-After: 1", "--virtual-threads");
    }

    @Test
    void virtualThreadsAreAUsageErrorBeforeJdk21() {
        org.junit.jupiter.api.Assumptions.assumeFalse(Server.virtualThreadsSupported(), "this JDK has them");
        assertThatThrownBy(() -> start("--backend", "http://127.0.0.1:9", "--listen", "127.0.0.1:0", "--virtual-threads"))
                .isInstanceOf(ParameterException.class)
                .hasMessage("--virtual-threads: virtual threads need JDK 21 or later; this is JDK "
                        + Runtime.version().feature());
    }

    /**
     * 16 requests held at once in the servlet all run on named virtual threads: none on the platform thread that
     * took over the selector's work, as Jetty does when it has a reserved thread.
     */
    @Test
    void virtualThreadsServeEveryRequestOnANamedVirtualWorker() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Server.virtualThreadsSupported(), "virtual threads need JDK 21+");
        int n = 16;
        java.util.Queue<Thread> workers = new java.util.concurrent.ConcurrentLinkedQueue<>();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        jakarta.servlet.http.HttpServlet servlet = new jakarta.servlet.http.HttpServlet() {
            @Override
            protected void service(jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse rw)
                    throws java.io.IOException {
                workers.add(Thread.currentThread());
                try {
                    release.await(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                rw.getWriter().print("ok");
            }
        };
        java.util.List<java.net.Socket> clients = new java.util.ArrayList<>();
        try (Server server = Server.start("vt", Server.loopback(0), servlet, Limits.DEFAULT.withVirtualThreads(true))) {
            for (int i = 0; i < n; i++) {
                java.net.Socket s = new java.net.Socket(server.url().getHost(), server.port());
                s.setSoTimeout(30_000);
                s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                clients.add(s);
            }
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(workers::size, k -> k == n);
            assertThat(workers).as("the threads serving the held requests")
                    .allSatisfy(t -> assertThat(t.toString()).startsWith("VirtualThread").contains("vt-worker-"));
            release.countDown();
            for (java.net.Socket s : clients) {
                assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1))
                        .startsWith("HTTP/1.1 200").endsWith("ok");
            }
        } finally {
            release.countDown();
            for (java.net.Socket s : clients) {
                s.close();
            }
        }
    }
}
