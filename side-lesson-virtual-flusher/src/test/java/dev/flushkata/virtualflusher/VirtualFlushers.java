package dev.flushkata.virtualflusher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flushkata.leakcheck.LiveThread;
import dev.flushkata.leakcheck.Threads;
import dev.flushkata.testkit.Flushers;
import java.time.Duration;
import java.util.List;

/** The virtual flusher threads, seen through the leak checker's view of virtual threads. */
final class VirtualFlushers {

    private VirtualFlushers() {
    }

    static List<LiveThread> live() {
        return Threads.virtualThreads().stream().filter(t -> t.name().startsWith(Flushers.PREFIX)).toList();
    }

    static int count() {
        return live().size();
    }

    /** Interrupts every virtual flusher and waits until they have all ended: clean-up after a leak. */
    static void stopLeaked() {
        for (LiveThread t : live()) {
            assertThat(t.interrupt()).as("a handle on %s (surefire's argLine has --add-exports)", t).isTrue();
        }
        await("leaked virtual flushers end after an interrupt").atMost(Duration.ofSeconds(30))
                .until(VirtualFlushers::count, n -> n == 0);
    }
}
