package dev.flushkata.bench;

/**
 * A target's load for one body, added up over rounds: answers, failures, time under load, and of the server
 * the client talked to: its CPU time, the part of it in the kernel (clock ticks, user and kernel), and the
 * threads it started. A figure the OS or the JVM did not tell is -1.
 */
record Throughput(long requests, long failed, long nanos, long cpuNanos, long userTicks, long kernelTicks,
                  long threadsStarted) {

    static final Throughput NONE = new Throughput(0, 0, 0, 0, 0, 0, 0);

    Throughput plus(Throughput o) {
        return new Throughput(requests + o.requests, failed + o.failed, nanos + o.nanos, cpuNanos + o.cpuNanos,
                sum(userTicks, o.userTicks), sum(kernelTicks, o.kernelTicks), sum(threadsStarted, o.threadsStarted));
    }

    private static long sum(long a, long b) {
        return a < 0 || b < 0 ? -1 : a + b;
    }

    double perSecond() {
        return nanos == 0 ? Double.NaN : requests * 1e9 / nanos;
    }

    double cpuMicrosPerRequest() {
        return requests == 0 ? Double.NaN : cpuNanos / 1e3 / requests;
    }

    /** The kernel's part of the CPU time, in percent: starting threads, waking them, moving bytes through sockets. */
    double kernelPercent() {
        return userTicks < 0 || kernelTicks < 0 || userTicks + kernelTicks == 0 ? Double.NaN
                : 100.0 * kernelTicks / (userTicks + kernelTicks);
    }

    double threadsPerRequest() {
        return requests == 0 || threadsStarted < 0 ? Double.NaN : (double) threadsStarted / requests;
    }
}
