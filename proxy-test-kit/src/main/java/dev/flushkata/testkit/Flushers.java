package dev.flushkata.testkit;

import static org.awaitility.Awaitility.await;

import dev.flushkata.leakcheck.Threads;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** The lessons' flusher threads, found by their name max-latency-flusher-n. */
public final class Flushers {

    public static final String PREFIX = "max-latency-flusher-";

    /** What the JDK's HttpClient leaves until collected on JDK 17 (closed explicitly on 21+). */
    public static final String JDK_CLIENT_THREADS = "HttpClient-\\d+-SelectorManager";

    private static final Predicate<Thread> FLUSHER = Threads.namePrefix(PREFIX);

    private Flushers() {
    }

    /** Live flusher threads of every lesson. */
    public static int count() {
        return Threads.count(FLUSHER);
    }

    public static List<Thread> live() {
        return Threads.matching(FLUSHER);
    }

    /** Interrupts every flusher thread and waits until they have all ended: clean-up after a leak. */
    public static void stopLeaked() {
        Threads.interrupt(live());
        await("leaked flushers end after an interrupt").atMost(Duration.ofSeconds(10))
                .until(() -> count() == 0);
    }
}
