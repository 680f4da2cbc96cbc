package dev.flushkata.bench;

import java.util.Arrays;

/** What each request of the throughput load asks the backend for, and how long its body must be. */
enum Body {
    TINY("tiny", "tiny", "/", 2),
    KIB_64("64k", "64 KiB", "/bytes?size=65536", 65536);

    final String option;
    final String title;
    final String path;
    final int length;

    Body(String option, String title, String path, int length) {
        this.option = option;
        this.title = title;
        this.path = path;
        this.length = length;
    }

    /** The body named option (tiny, 64k). */
    static Body of(String option) {
        return Arrays.stream(values()).filter(b -> b.option.equals(option.trim())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no body '" + option.trim() + "'; there are tiny, 64k"));
    }
}
