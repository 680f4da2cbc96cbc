package dev.flushkata.demo;

/** One lesson's figures at one moment; later is the flusher count after the settle time, or -1. */
record Row(String lesson, int done, int requested, int failed, int flushers, long lateFlushes,
           long p50Millis, long p99Millis, int later) {

    private static final String FORMAT = "%-28s %9s %6s %8s %12s %15s %7s";

    /** The column titles; laterTitle adds the last column. */
    static String header(String laterTitle) {
        String h = String.format(FORMAT, "lesson", "requests", "failed", "flushers", "late flushes",
                "first chunk p50", "p99");
        return laterTitle == null ? h : h + "  " + laterTitle;
    }

    /** The row under header(laterTitle), its last column as wide as laterTitle. */
    String line(String laterTitle) {
        String s = String.format(FORMAT, lesson, done + "/" + requested, failed, flushers, lateFlushes,
                millis(p50Millis), millis(p99Millis));
        return laterTitle == null ? s : s + "  " + String.format("%" + laterTitle.length() + "d", later);
    }

    private static String millis(long ms) {
        return ms < 0 ? "-" : ms + " ms";
    }
}
