package dev.leakwatch.analyzer.series;

/**
 * Object sizes in a 64-bit HotSpot heap with compressed class pointers and compact strings (the defaults), for
 * {@link SeriesTable#ownFootprint()}: an array has a 16-byte header, objects are 8-byte aligned, a String is 24 bytes
 * with a byte array of one byte per character when every character fits in one (Latin-1), else two. Other layouts
 * are off by a few bytes per object.
 */
final class HeapSizes {
    /** A {@code java.lang.String} without its byte array. */
    static final long STRING_BYTES = 24;

    private HeapSizes() {}

    /** An array whose elements take {@code elementBytes} in all. */
    static long arrayBytes(long elementBytes) {
        return (16 + elementBytes + 7) & ~7L;
    }

    /** The byte array behind a string's characters. */
    static long stringArrayBytes(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) > 0xFF) {
                return arrayBytes(2L * value.length());
            }
        }
        return arrayBytes(value.length());
    }
}
