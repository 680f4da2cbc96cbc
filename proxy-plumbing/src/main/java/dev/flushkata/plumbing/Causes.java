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
}
