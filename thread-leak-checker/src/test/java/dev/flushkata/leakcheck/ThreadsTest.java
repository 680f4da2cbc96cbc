package dev.flushkata.leakcheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ThreadsTest {

    @Test
    void countsAndDescribesThreadsByName() throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        ThreadSnapshot snapshot = ThreadSnapshot.take();
        Thread t = new Thread(() -> {
            try {
                stop.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "counted-1");
        t.setDaemon(true);
        t.start();
        try {
            assertThat(Threads.count(Threads.namePrefix("counted-"))).isEqualTo(1);
            assertThat(snapshot.newThreads(x -> false)).containsExactly(t);
            assertThat(snapshot.newThreads(Threads.named("counted-\\d"))).isEmpty();
            assertThat(Threads.describe(Threads.matching(Threads.named("counted-1"))))
                    .startsWith("  \"counted-1\" ").contains("daemon=true", "      at ");
        } finally {
            stop.countDown();
            t.join();
        }
        assertThat(snapshot.newThreads(x -> false)).isEmpty();
    }

    @Test
    void treatsTheJvmsOwnThreadsAsSystemThreads() {
        assertThat(Threads.matching(Threads.named("Reference Handler|Finalizer|Signal Dispatcher")))
                .isNotEmpty().allMatch(Threads::isSystem);
    }
}
