package dev.flushkata.plumbing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class StreamingBackendTest {

    @Test
    void answersBadParametersWith400AndTheReason() throws Exception {
        try (StreamingBackend backend = StreamingBackend.start()) {
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> res = client.send(HttpRequest.newBuilder(backend.url().resolve("/status?code=99")).build(),
                    HttpResponse.BodyHandlers.ofString());
            JdkClients.shutdownNow(client);

            assertThat(res.statusCode()).isEqualTo(400);
            assertThat(res.body()).isEqualTo("code must be a whole number from 200 to 599");
        }
    }

    @Test
    void servesTheDeterministicContent() throws Exception {
        try (StreamingBackend backend = StreamingBackend.start()) {
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<byte[]> res = client.send(HttpRequest.newBuilder(backend.url().resolve("/stream?chunks=3&size=10")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            JdkClients.shutdownNow(client);

            assertThat(res.body()).isEqualTo(StreamingBackend.content(0, 30)).startsWith("abcdefghij".getBytes());
        }
    }

    @Test
    void streamsWithTheContentTypeAskedFor() throws Exception {
        try (StreamingBackend backend = StreamingBackend.start()) {
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> sse = client.send(HttpRequest.newBuilder(
                    backend.url().resolve("/stream?chunks=2&size=3&type=text/event-stream")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> plain = client.send(HttpRequest.newBuilder(backend.url().resolve("/stream")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> bad = client.send(HttpRequest.newBuilder(
                    backend.url().resolve("/stream?type=text")).build(), HttpResponse.BodyHandlers.ofString());
            JdkClients.shutdownNow(client);

            assertThat(sse.headers().firstValue("Content-Type")).hasValue("text/event-stream");
            assertThat(sse.body()).isEqualTo("abcdef");
            assertThat(plain.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
            assertThat(bad.statusCode()).isEqualTo(400);
        }
    }
}
