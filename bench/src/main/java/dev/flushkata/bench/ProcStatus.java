package dev.flushkata.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Linux's /proc/PID/status, where a process's memory is in "VmRSS:   123456 kB" lines, and /proc/PID/stat,
 * whose 14th and 15th fields are its CPU time in user code and in the kernel.
 */
final class ProcStatus {

    private ProcStatus() {
    }

    /** The status text of process pid, empty where there is no /proc (not Linux) or no such process. */
    static String read(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "status"));
        } catch (IOException e) {
            return "";
        }
    }

    /** {user, kernel} CPU time of process pid in clock ticks; {-1, -1} where /proc does not tell. */
    static long[] cpuTicks(long pid) {
        try {
            return cpuTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException e) {
            return new long[] {-1, -1};
        }
    }

    /** {utime, stime} of a /proc/PID/stat line; its second field, the name in parentheses, may hold spaces. */
    static long[] cpuTicks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])}; // fields 14 and 15, counted from 1
    }

    /** A field that is a plain number (Threads: the process's OS threads), or -1 when status has no such field. */
    static long number(String status, String field) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(field) + ":\\s+(\\d+)$").matcher(status);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Field's value in KiB (VmRSS: resident now, VmHWM: its peak), or -1 when status has no such field. */
    static long kib(String status, String field) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(field) + ":\\s+(\\d+) kB$").matcher(status);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
