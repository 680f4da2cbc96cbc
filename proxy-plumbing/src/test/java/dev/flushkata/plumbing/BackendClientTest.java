package dev.flushkata.plumbing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackendClientTest {

    private static URI target(String backend, String request) {
        URI r = URI.create(request);
        try (BackendClient c = new BackendClient(URI.create(backend), Duration.ofSeconds(1), new ProxyStats("t"))) {
            return URI.create(backend).resolve(c.targetFor(r.getRawPath(), r.getRawQuery()));
        }
    }

    @Test
    void keepsOnlyPathAndQueryOfTheRequestAndJoinsPathsWithOneSlash() {
        assertThat(target("http://127.0.0.1:9000", "/a/b?x=1%202")).hasToString("http://127.0.0.1:9000/a/b?x=1%202");
        assertThat(target("http://127.0.0.1:9000/base/", "/a")).hasToString("http://127.0.0.1:9000/base/a");
        assertThat(target("http://127.0.0.1:9000/base", "/a")).hasToString("http://127.0.0.1:9000/base/a");
    }

    @Test
    void answers504WhenTheBackendDoesNotAnswerInTime() throws Exception {
        // A backend that never answers: the timeout is the only way out, however slow this machine is.
        try (SilentBackend backend = SilentBackend.start();
             RunningProxy proxy = RunningProxy.start("slow", StandInProxy::new, backend.url(), Server.loopback(0),
                     Duration.ZERO, Duration.ofMillis(200))) {
            proxy.stats().quiet();
            var client = java.net.http.HttpClient.newHttpClient();
            var res = client.send(java.net.http.HttpRequest.newBuilder(proxy.url().resolve("/")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            JdkClients.shutdownNow(client);

            assertThat(res.statusCode()).isEqualTo(504);
            assertThat(res.body()).isEqualTo("gateway timeout: the backend did not answer within 200ms\n");
        }
    }
}
