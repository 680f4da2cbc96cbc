package dev.flushkata.bench;

/** The three streamed bodies whose chunk delays the bench measures: each asks a proxy for something else. */
enum StreamKind {
    /** No length: Go flushes it after every write (1.16), the JDK stack held it to the end. */
    CHUNKED("", "chunked"),
    /** A Content-Length: only a flush interval lets its chunks out before the end. */
    LENGTH("&length=true", "with length"),
    /** Server-sent events: Go flushes them after every write whatever the interval. */
    EVENTS("&type=text/event-stream", "events");

    final String query;
    final String title;

    StreamKind(String query, String title) {
        this.query = query;
        this.title = title;
    }
}
