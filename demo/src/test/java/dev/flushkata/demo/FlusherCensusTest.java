package dev.flushkata.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flushkata.plumbing.Lesson;
import dev.flushkata.plumbing.RunningProxy;
import dev.flushkata.plumbing.StreamingBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Flusher threads are told apart by lesson through their stacks. */
class FlusherCensusTest {

    @Test
    void countsEachLessonsOwnFlushers() throws Exception {
        List<Lesson> lessons = Lesson.all();
        Lesson leaky = lessons.get(0);
        try (StreamingBackend backend = StreamingBackend.start();
             RunningProxy proxy = RunningProxy.start("census", leaky, backend.url(), Duration.ofMillis(50))) {
            proxy.stats().quiet();
            HttpClient client = HttpClient.newHttpClient();
            Map<String, Integer> before = FlusherCensus.count(lessons);
            for (int i = 0; i < 5; i++) {
                client.send(HttpRequest.newBuilder(URI.create(proxy.url() + "/")).build(),
                        HttpResponse.BodyHandlers.ofString());
            }
            // A thread just started has no lesson frame on its stack yet: poll until all five are attributed.
            Map<String, Integer> after = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)) // fault-free: far above any plausible slowness
                    .until(() -> FlusherCensus.count(lessons),
                            m -> m.get("lesson-01-leaky") - before.get("lesson-01-leaky") >= 5);

            assertThat(leaky.name()).isEqualTo("lesson-01-leaky");
            assertThat(after.get("lesson-01-leaky") - before.get("lesson-01-leaky")).isEqualTo(5);
            assertThat(after.get("lesson-02-fixed")).isZero();
            assertThat(after.get("lesson-03-refactor-testable")).isZero();
            assertThat(after.get("lesson-04-timer")).isZero();
        } finally {
            Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith(FlusherCensus.PREFIX)).forEach(Thread::interrupt);
        }
    }
}
