package dev.flushkata.lesson04;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flushkata.leakcheck.CheckThreadLeaks;
import dev.flushkata.leakcheck.Threads;
import dev.flushkata.plumbing.Server;
import dev.flushkata.testkit.Deadlines;
import dev.flushkata.testkit.Flushers;
import dev.flushkata.testkit.ProxyFixture;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The point of the lesson, as a regression test: no thread per request. lesson-02 and lesson-03 start a
 * flusher thread for every response with a flush interval (1.0 a request); here a response arms a delayed
 * flush on the proxy's one timer thread. Counted with the JVM's started-thread count, after a warm-up that
 * lets every pool (the server's workers, the clients') make the threads it keeps.
 */
@CheckThreadLeaks(ignore = Flushers.JDK_CLIENT_THREADS)
class ThreadsPerRequestTest {

    static final Duration INTERVAL = Duration.ofMillis(100);
    static final int CONCURRENCY = 8;
    static final int WARM_UP = 300;
    static final int REQUESTS = 1_000;
    static final int SPARSE = 50;
    static final long SPARSE_GAP_MS = 50;

    @Test
    void aThousandRequestsStartNoThreadEachAndLeaveNoFlushPending() throws Exception {
        List<ReverseProxy> proxies = new ArrayList<>();
        ExecutorService senders = Executors.newFixedThreadPool(CONCURRENCY, Server.daemonThreads("load-"));
        try (ProxyFixture fx = ProxyFixture.start("threads-per-request", (backend, interval, stats) -> {
            ReverseProxy p = new ReverseProxy(backend, interval, stats);
            proxies.add(p);
            return p;
        }, INTERVAL)) {
            ReverseProxy proxy = proxies.get(0);
            // Twice as many at a time as the load: the cached pools (the clients' executors) grow to more
            // than the load needs, however the machine schedules it, and keep those threads for a minute.
            ExecutorService warmers = Executors.newFixedThreadPool(2 * CONCURRENCY, Server.daemonThreads("warm-up-"));
            try {
                send(fx, warmers, WARM_UP);
            } finally {
                warmers.shutdownNow();
            }

            ((java.util.concurrent.ThreadPoolExecutor) senders).prestartAllCoreThreads(); // the load's own, before counting
            java.util.Set<Thread> alive = Threads.live();
            long started = startedThreads();
            send(fx, senders, REQUESTS);
            long startedDuringLoad = startedThreads() - started;
            double perRequest = (double) startedDuringLoad / REQUESTS;
            List<String> newcomers = Threads.live().stream().filter(t -> !alive.contains(t)).map(Thread::getName)
                    .sorted().toList();
            System.out.printf("threads started during %d requests (interval %s, %d at a time): %d, %.4f a request;"
                    + " of them alive now: %s%n", REQUESTS, "100ms", CONCURRENCY, startedDuringLoad, perRequest, newcomers);

            assertThat(perRequest).as("threads started per request").isLessThanOrEqualTo(0.01);

            // Sparse traffic: a pool that lets its threads go as soon as they idle (a timer with no core
            // thread, flush threads with no keep-alive) starts one for nearly every request here, not under load.
            long startedBefore = startedThreads();
            sendSparse(fx, SPARSE);
            long startedSparse = startedThreads() - startedBefore;
            System.out.printf("threads started during %d requests %d ms apart: %d%n", SPARSE, SPARSE_GAP_MS, startedSparse);
            assertThat((double) startedSparse / SPARSE).as("threads started per request, %d requests %d ms apart",
                    SPARSE, SPARSE_GAP_MS).isLessThanOrEqualTo(0.05);
            await("no delayed flush pending after the load").atMost(Deadlines.FAULT_FREE)
                    .pollInterval(Deadlines.BACKOFF).until(proxy::pendingFlushes, n -> n == 0);
            assertThat(Flushers.count()).as("flusher threads").isZero();
            assertThat(Threads.count(Threads.namePrefix("max-latency-timer-"))).as("timer threads").isLessThanOrEqualTo(1);
            assertThat(fx.proxy().stats().flushesAfterClose()).as("flushes after a response finished").isZero();
        } finally {
            senders.shutdownNow();
            senders.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    /**
     * n requests, CONCURRENCY at a time: nine in ten are a quick "hi" (the header flush armed, then
     * cancelled), one in ten streams two chunks 150 ms apart with a Content-Length, so its delayed flushes fire.
     */
    private static void send(ProxyFixture fx, ExecutorService senders, int n) throws Exception {
        List<Future<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String path = i % 10 == 0 ? "/stream?chunks=2&size=16&delayMs=150&length=true" : "/";
            sent.add(senders.submit(() -> fx.get(path)));
        }
        for (Future<HttpResponse<String>> f : sent) {
            HttpResponse<String> res = f.get(Deadlines.FAULT_FREE.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(res.statusCode()).isEqualTo(200);
        }
    }

    /** n requests one at a time, SPARSE_GAP_MS apart: as send(), a slow stream every tenth, so flushes fire. */
    private static void sendSparse(ProxyFixture fx, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            String path = i % 10 == 0 ? "/stream?chunks=2&size=16&delayMs=150&length=true" : "/";
            assertThat(fx.get(path).statusCode()).isEqualTo(200);
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(SPARSE_GAP_MS)); // the traffic's pace
        }
    }

    static long startedThreads() {
        return ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
    }
}
