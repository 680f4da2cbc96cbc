package dev.flushkata.plumbing;

/** One look for every chart the kata draws, readable without colour vision: colours and line styles. */
public final class Palette {

    /** Okabe and Ito's colour-blind-safe colours (RGB): vermillion (the leak), blue, bluish green, reddish purple, orange. */
    private static final int[] OKABE_ITO = {0xD55E00, 0x0072B2, 0x009E73, 0xCC79A7, 0xE69F00};
    /** A line style each, so series are told apart without colour too: solid, dashed, dotted, dash-dot, long dash. */
    private static final float[][] DASHES = {null, {10f, 5f}, {2.5f, 4f}, {10f, 4f, 2.5f, 4f}, {20f, 6f}};

    private Palette() {
    }

    /** The RGB colour of series i (repeating after five). */
    public static int rgb(int i) {
        return OKABE_ITO[i % OKABE_ITO.length];
    }

    /** The dash pattern of series i, null for solid (repeating after five). */
    public static float[] dashes(int i) {
        float[] d = DASHES[i % DASHES.length];
        return d == null ? null : d.clone();
    }
}
