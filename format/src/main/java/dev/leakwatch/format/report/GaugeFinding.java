package dev.leakwatch.format.report;

/**
 * Steady growth of a JVM-level quantity: loaded classes (a class-loader leak), live threads, direct buffer memory.
 *
 * @param kind             {@code class-loading}, {@code threads} or {@code direct-memory}
 * @param growthPerMinute  robust slope, in {@code unit} per minute
 * @param current          the newest value, in {@code unit}
 */
public record GaugeFinding(
        String kind,
        double confidence,
        double growthPerMinute,
        double current,
        String unit,
        String summary,
        String explanation) {}
