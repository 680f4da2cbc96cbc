package dev.flushkata.plumbing;

/** One line for an exception and every cause under it: "IOException: closed" alone says nothing, its cause says why. */
public final class Causes {

    private Causes() {
    }

    public static String chain(Throwable e) {
        StringBuilder sb = new StringBuilder(e.toString());
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            sb.append(" <- caused by ").append(c);
        }
        return sb.toString();
    }

    /** True if e or any cause under it is a type. */
    public static boolean has(Throwable e, Class<? extends Throwable> type) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    /** The innermost cause's class and message, for a one-line answer that names no internals. */
    public static String describe(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String m = c.getMessage();
        return c.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m.lines().findFirst().orElse(""));
    }
}
