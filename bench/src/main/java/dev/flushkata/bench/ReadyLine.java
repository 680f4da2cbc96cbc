package dev.flushkata.bench;

import java.net.URI;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a server the bench started says when it is ready: its URL, and its pid when it says one. Proxies:
 * "lesson-02-fixed proxy listening on http://127.0.0.1:8082 -> http://... (flush interval 100ms, pid 4242)";
 * the backend: "streaming backend listening on http://127.0.0.1:9000".
 */
record ReadyLine(URI url, OptionalLong pid) {

    private static final Pattern LISTENING = Pattern.compile("listening on (http://[^\\s/]+)");
    private static final Pattern PID = Pattern.compile("\\bpid (\\d+)\\)\\s*$");

    /** The ready line in line, or null when line is anything else (a JVM warning, a JFR notice). */
    static ReadyLine parse(String line) {
        Matcher url = LISTENING.matcher(line);
        if (!url.find()) {
            return null;
        }
        Matcher pid = PID.matcher(line);
        return new ReadyLine(URI.create(url.group(1)), pid.find() ? OptionalLong.of(Long.parseLong(pid.group(1)))
                : OptionalLong.empty());
    }

    /** Only servers on 127.0.0.1 get load from the bench. */
    boolean loopback() {
        return "127.0.0.1".equals(url.getHost());
    }
}
