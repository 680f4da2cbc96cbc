package dev.flushkata.demo;

import dev.flushkata.plumbing.Lesson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts each lesson's live flusher threads. Every lesson names them max-latency-flusher-n, so a thread
 * is told apart by its stack: the lesson whose package runs in it.
 */
final class FlusherCensus {

    static final String PREFIX = "max-latency-flusher-";

    private FlusherCensus() {
    }

    /**
     * Live flusher threads per lesson name, in lessons' order. Threads of no listed lesson are not counted,
     * nor, for a moment, a thread just started, whose stack has no lesson frame yet: a sample can be one or
     * two short while flushers are being started; the next one catches up.
     */
    static Map<String, Integer> count(List<Lesson> lessons) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        lessons.forEach(l -> counts.put(l.name(), 0));
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (thread.isAlive() && thread.getName().startsWith(PREFIX)) {
                Lesson owner = ownerOf(lessons, stack);
                if (owner != null) {
                    counts.merge(owner.name(), 1, Integer::sum);
                }
            }
        });
        return counts;
    }

    /** The lesson whose handler's package a frame of stack belongs to. */
    static Lesson ownerOf(List<Lesson> lessons, StackTraceElement[] stack) {
        for (StackTraceElement frame : stack) {
            for (Lesson l : lessons) {
                if (frame.getClassName().startsWith(packageOf(l) + ".")) {
                    return l;
                }
            }
        }
        return null;
    }

    static String packageOf(Lesson lesson) {
        String c = lesson.handlerClass();
        return c.substring(0, c.lastIndexOf('.'));
    }
}
