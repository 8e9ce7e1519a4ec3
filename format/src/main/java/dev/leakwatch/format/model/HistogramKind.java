package dev.leakwatch.format.model;

/**
 * How a class histogram was taken, which decides how far its numbers can be trusted as "retained".
 */
public enum HistogramKind {
    /** Live objects only: the JVM ran a full GC first (jcmd GC.class_histogram, the default). */
    LIVE("live"),
    /** All objects, taken right after a natural old-generation collection: close to live, no forced pause. */
    ALL_AFTER_GC("all-after-gc"),
    /** All objects including garbage (GC.class_histogram -all): noisy, only trends over many points mean much. */
    ALL("all");

    private final String wireName;

    HistogramKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static HistogramKind fromWireName(String name) {
        for (HistogramKind kind : values()) {
            if (kind.wireName.equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown histogram kind '" + name + "'");
    }
}
