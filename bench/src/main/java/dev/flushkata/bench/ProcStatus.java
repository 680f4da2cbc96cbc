package dev.flushkata.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Linux's /proc/PID/status, where a process's memory is in "VmRSS:   123456 kB" lines. */
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

    /** Field's value in KiB (VmRSS: resident now, VmHWM: its peak), or -1 when status has no such field. */
    static long kib(String status, String field) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(field) + ":\\s+(\\d+) kB$").matcher(status);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
