package dev.flushkata.plumbing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;

/**
 * A lesson module on the class path, found by its META-INF/flush-kata/lessons.properties (one line:
 * module name = its ReverseProxy class), so lesson modules need no code beyond the story's. A jar holding
 * several lessons (the demo's) appends their files into one.
 */
public record Lesson(String name, String handlerClass) implements ProxyFactory {

    static final String DESCRIPTOR = "META-INF/flush-kata/lessons.properties";

    /** Every lesson on the class path, by name. */
    public static List<Lesson> all() {
        List<Lesson> lessons = new ArrayList<>();
        try {
            for (URL url : Collections.list(Lesson.class.getClassLoader().getResources(DESCRIPTOR))) {
                Properties p = new Properties();
                try (InputStream in = url.openStream()) {
                    p.load(in);
                }
                p.stringPropertyNames().forEach(name -> lessons.add(new Lesson(name, p.getProperty(name))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        lessons.sort(Comparator.comparing(Lesson::name));
        return lessons;
    }

    /** The one lesson on the class path, as in a lesson's executable jar. */
    public static Lesson only() {
        List<Lesson> all = all();
        if (all.size() != 1) {
            throw new IllegalStateException("expected one lesson on the class path, found " + all);
        }
        return all.get(0);
    }

    /** Calls the lesson's ReverseProxy(BackendClient, Duration, ProxyStats) constructor. */
    @Override
    public jakarta.servlet.http.HttpServlet create(BackendClient backend, Duration flushInterval, ProxyStats stats) {
        try {
            Constructor<?> c = Class.forName(handlerClass)
                    .getConstructor(BackendClient.class, Duration.class, ProxyStats.class);
            return (jakarta.servlet.http.HttpServlet) c.newInstance(backend, flushInterval, stats);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(name + ": " + handlerClass + " needs a public constructor "
                    + "(BackendClient, Duration, ProxyStats)", e);
        }
    }
}
