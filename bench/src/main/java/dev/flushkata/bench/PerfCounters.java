package dev.flushkata.bench;

/** The JVM's performance counters as jcmd PID PerfCounter.print lists them: "name=value" lines. */
final class PerfCounters {

    private PerfCounters() {
    }

    /** The value of counter name in output, or -1 when it is not there. */
    static long value(String output, String name) {
        for (String line : output.split("\\R")) {
            if (line.startsWith(name + "=")) {
                try {
                    return Long.parseLong(line.substring(name.length() + 1).trim());
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }
}
