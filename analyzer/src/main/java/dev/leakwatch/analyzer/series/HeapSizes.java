package dev.leakwatch.analyzer.series;

/**
 * Object sizes in a 64-bit HotSpot heap with compressed class pointers and compact strings (the defaults), for what
 * the agent names as its own ({@code agentOwned}: {@link SeriesTable#ownFootprint()}, the agent's method cache and
 * allocation tracker): an array has a 16-byte header, objects are 8-byte aligned, a String is 24 bytes
 * with a byte array of one byte per character when every character fits in one (Latin-1), else two. Other layouts
 * are off by a few bytes per object.
 */
public final class HeapSizes {
    /** A {@code java.lang.String} without its byte array. */
    public static final long STRING_BYTES = 24;

    private HeapSizes() {}

    /** An array whose elements take {@code elementBytes} in all. */
    public static long arrayBytes(long elementBytes) {
        return (16 + elementBytes + 7) & ~7L;
    }

    /** The byte array behind a string's characters. */
    public static long stringArrayBytes(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) > 0xFF) {
                return arrayBytes(2L * value.length());
            }
        }
        return arrayBytes(value.length());
    }
}
