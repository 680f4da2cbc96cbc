package dev.flushkata.plumbing;

import java.net.http.HttpClient;

/** For the JDK's HttpClient, which the tests, the demo, the soak and the bench use as the proxy's client. */
public final class JdkClients {

    private JdkClients() {
    }

    /**
     * Stops client without waiting for exchanges in flight. HttpClient.shutdownNow() exists from JDK 21
     * (called reflectively, the baseline being 17); on 17 the client's selector thread ends once the
     * client is garbage-collected.
     */
    public static void shutdownNow(HttpClient client) {
        try {
            HttpClient.class.getMethod("shutdownNow").invoke(client);
        } catch (NoSuchMethodException e) {
            // JDK 17 to 20: nothing to call
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
