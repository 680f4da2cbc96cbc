package dev.flushkata.leakcheck;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Virtual threads, read from the JVM's own thread dump: HotSpotDiagnosticMXBean.dumpThreads(file, JSON),
 * JDK 21+, the one supported API that lists them (Thread.getAllStackTraces() and jcmd Thread.print do
 * not). Everything JDK 21+ is reached by reflection: the module compiles for 17.
 */
final class VirtualThreads {

    private static final Method DUMP_THREADS; // null: this JDK cannot dump virtual threads
    private static final Object JSON_FORMAT;
    private static final Method ROOT_CONTAINER; // null: no handles (java.base does not export jdk.internal.vm to us)
    private static final Method CONTAINER_THREADS;
    private static final Method CONTAINER_CHILDREN;
    private static final Method IS_VIRTUAL;

    /** Self-tests turn handles off to see what users without --add-exports see. */
    static volatile boolean useHandles = true;

    private static final JsonFactory JSON = new JsonFactory();
    private static final AtomicLong DUMPS = new AtomicLong();
    private static Path dumpDir; // guarded by VirtualThreads.class

    static {
        Method dump = null;
        Object json = null;
        Method isVirtual = null;
        try {
            @SuppressWarnings({"unchecked", "rawtypes"})
            Class<Enum> format = (Class<Enum>) Class.forName(HotSpotDiagnosticMXBean.class.getName() + "$ThreadDumpFormat");
            @SuppressWarnings("unchecked")
            Object j = Enum.valueOf(format, "JSON");
            dump = HotSpotDiagnosticMXBean.class.getMethod("dumpThreads", String.class, format);
            json = j;
            isVirtual = Thread.class.getMethod("isVirtual");
        } catch (ReflectiveOperationException | IllegalArgumentException | LinkageError e) {
            dump = null; // JDK 17-20
        }
        DUMP_THREADS = dump;
        JSON_FORMAT = json;
        IS_VIRTUAL = isVirtual;

        Method root = null;
        Method threads = null;
        Method children = null;
        if (dump != null && Object.class.getModule().isExported("jdk.internal.vm", VirtualThreads.class.getModule())) {
            try {
                Class<?> containers = Class.forName("jdk.internal.vm.ThreadContainers");
                Class<?> container = Class.forName("jdk.internal.vm.ThreadContainer");
                root = containers.getMethod("root");
                threads = container.getMethod("threads");
                children = container.getMethod("children");
            } catch (ReflectiveOperationException | LinkageError e) {
                root = null;
            }
        }
        ROOT_CONTAINER = root;
        CONTAINER_THREADS = threads;
        CONTAINER_CHILDREN = children;
    }

    private VirtualThreads() {
    }

    static boolean visible() {
        return DUMP_THREADS != null;
    }

    /** Whether the checker can have the Thread of a virtual thread it did not start, to interrupt it. */
    static boolean handlesAvailable() {
        return ROOT_CONTAINER != null && useHandles;
    }

    static boolean isVirtual(Thread t) {
        try {
            return IS_VIRTUAL != null && (boolean) IS_VIRTUAL.invoke(t);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Every live virtual thread, with a handle where we can have one; empty before JDK 21. platformIds are
     * the live platform threads' ids, read just before: JDK 21's dump does not mark virtual threads.
     */
    static List<LiveThread> live(Set<Long> platformIds) {
        if (DUMP_THREADS == null) {
            return List.of();
        }
        Path file = dumpFile();
        try {
            DUMP_THREADS.invoke(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class),
                    file.toString(), JSON_FORMAT);
            Map<Long, Thread> handles = handles();
            List<LiveThread> result = new ArrayList<>();
            for (DumpedThread d : parse(file)) {
                if (d.isVirtual(platformIds)) {
                    result.add(new LiveThread(d.tid, d.name, true, d.state, d.stack, handles.get(d.tid)));
                }
            }
            return result;
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("the JVM could not dump its threads", e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a stray file in a temporary directory; the next dump uses another name
            }
        }
    }

    /** dumpThreads wants an absolute path to a file that does not exist yet. */
    private static synchronized Path dumpFile() {
        try {
            if (dumpDir == null || !Files.isDirectory(dumpDir)) {
                dumpDir = Files.createTempDirectory("thread-leak-checker-");
                dumpDir.toFile().deleteOnExit();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dumpDir.resolve("threads-" + DUMPS.incrementAndGet() + ".json").toAbsolutePath();
    }

    /** Virtual threads by id, from the JDK's thread containers; empty when java.base keeps them from us. */
    private static Map<Long, Thread> handles() throws IllegalAccessException, InvocationTargetException {
        Map<Long, Thread> byId = new HashMap<>();
        if (handlesAvailable()) {
            collect(ROOT_CONTAINER.invoke(null), byId);
        }
        return byId;
    }

    private static void collect(Object container, Map<Long, Thread> byId)
            throws IllegalAccessException, InvocationTargetException {
        try (Stream<?> threads = (Stream<?>) CONTAINER_THREADS.invoke(container)) {
            threads.map(Thread.class::cast).filter(VirtualThreads::isVirtual).forEach(t -> byId.put(t.getId(), t));
        }
        List<?> children;
        try (Stream<?> s = (Stream<?>) CONTAINER_CHILDREN.invoke(container)) {
            children = s.toList();
        }
        for (Object child : children) {
            collect(child, byId);
        }
    }

    /** One thread of the dump: {"tid": "23", "virtual": true, "name": "...", "state": "...", "stack": [...]}. */
    static final class DumpedThread {
        long tid;
        String name = "";
        Boolean virtual; // absent before JDK 25
        String state = ""; // absent before JDK 25
        List<StackTraceElement> stack = new ArrayList<>();

        boolean isVirtual(Set<Long> platformIds) {
            if (virtual != null) {
                return virtual;
            }
            // JDK 21: a virtual thread's stack ends in VirtualThread.run; one not yet run has no stack
            return stack.isEmpty() ? !platformIds.contains(tid)
                    : LiveThread.frameName(stack.get(stack.size() - 1)).equals("java.lang.VirtualThread.run");
        }
    }

    /** Reads the threads of every container of a JSON thread dump. */
    static List<DumpedThread> parse(Path file) throws IOException {
        List<DumpedThread> threads = new ArrayList<>();
        try (JsonParser p = JSON.createParser(file.toFile())) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME && p.currentName().equals("threads")
                        && p.nextToken() == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        threads.add(readThread(p));
                    }
                }
            }
        }
        return threads;
    }

    private static DumpedThread readThread(JsonParser p) throws IOException {
        DumpedThread d = new DumpedThread();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "tid" -> d.tid = Long.parseLong(p.getText());
                case "name" -> d.name = p.getText();
                case "virtual" -> d.virtual = value == JsonToken.VALUE_TRUE;
                case "state" -> d.state = p.getText();
                case "stack" -> {
                    while (p.nextToken() == JsonToken.VALUE_STRING) {
                        d.stack.add(frame(p.getText()));
                    }
                }
                default -> p.skipChildren(); // parkBlocker, monitorsOwned, ...: not needed
            }
        }
        return d;
    }

    /**
     * Parses StackTraceElement.toString() back: [loader/][module[@version]/]class.method(File.java:1),
     * where a hidden class's name itself holds a slash (Foo$$Lambda/0x...).
     */
    static StackTraceElement frame(String s) {
        int open = s.indexOf('(');
        int close = s.lastIndexOf(')');
        if (open < 0 || close < open) {
            return new StackTraceElement("?", s, null, -1);
        }
        String head = s.substring(0, open);
        String where = s.substring(open + 1, close);
        int dot = head.lastIndexOf('.');
        String method = head.substring(dot + 1);
        String[] parts = head.substring(0, Math.max(dot, 0)).split("/", -1);
        int classParts = parts.length >= 2 && parts[parts.length - 1].startsWith("0x") ? 2 : 1;
        String declaringClass = String.join("/", List.of(parts).subList(parts.length - classParts, parts.length));
        List<String> prefix = List.of(parts).subList(0, parts.length - classParts);
        String loader = prefix.size() == 2 ? prefix.get(0) : null;
        String module = prefix.isEmpty() ? null : prefix.get(prefix.size() - 1);
        String version = null;
        if (module != null && module.contains("@")) {
            version = module.substring(module.indexOf('@') + 1);
            module = module.substring(0, module.indexOf('@'));
        }
        String file = null;
        int line = -1;
        if (where.equals("Native Method")) {
            line = -2;
        } else if (!where.equals("Unknown Source")) {
            int colon = where.lastIndexOf(':');
            if (colon > 0) {
                file = where.substring(0, colon);
                try {
                    line = Integer.parseInt(where.substring(colon + 1));
                } catch (NumberFormatException e) {
                    file = where;
                }
            } else {
                file = where;
            }
        }
        return new StackTraceElement(loader, emptyToNull(module), version, declaringClass, method, file, line);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
