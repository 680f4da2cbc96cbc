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

    @Test
    void threadsWithTheSameStackShareOneCopyOfIt() throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        java.util.List<Thread> twins = new java.util.ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            Thread t = new Thread(() -> {
                try {
                    stop.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "twin-" + i);
            t.start();
            twins.add(t);
        }
        try {
            org.awaitility.Awaitility.await().until(() -> twins.stream().allMatch(t -> t.getState() == Thread.State.WAITING));
            String text = Threads.describe(twins);
            assertThat(text).startsWith("  \"twin-1\" state=WAITING daemon=false\n  \"twin-2\" state=WAITING daemon=false\n"
                    + "    (the 2 threads above share this stack)\n      at ");
            assertThat(text.split("CountDownLatch.await\\(", -1)).hasSize(2);
        } finally {
            stop.countDown();
            for (Thread t : twins) {
                t.join();
            }
        }
    }
}
