package dev.flushkata.bench;

/**
 * A target's load for one body, added up over rounds: answers, failures, time under load, and the CPU time
 * and threads started of the server the client talked to (threadsStarted -1 when unknown).
 */
record Throughput(long requests, long failed, long nanos, long cpuNanos, long threadsStarted) {

    static final Throughput NONE = new Throughput(0, 0, 0, 0, 0);

    Throughput plus(Throughput o) {
        return new Throughput(requests + o.requests, failed + o.failed, nanos + o.nanos, cpuNanos + o.cpuNanos,
                threadsStarted < 0 || o.threadsStarted < 0 ? -1 : threadsStarted + o.threadsStarted);
    }

    double perSecond() {
        return nanos == 0 ? Double.NaN : requests * 1e9 / nanos;
    }

    double cpuMicrosPerRequest() {
        return requests == 0 ? Double.NaN : cpuNanos / 1e3 / requests;
    }

    double threadsPerRequest() {
        return requests == 0 || threadsStarted < 0 ? Double.NaN : (double) threadsStarted / requests;
    }
}
