package dev.leakwatch.format.report;

/**
 * Steady growth of a JVM-level quantity: loaded classes (a class-loader leak), live threads, direct buffer memory.
 *
 * @param kind             {@code class-loading}, {@code threads} or {@code direct-memory}
 * @param growthPerMinute  robust slope, in {@code unit} per minute
 * @param current          the newest value, in {@code unit}
 * @param fingerprint      (schema 6) the same for this kind of finding in every JVM; null in older reports
 */
public record GaugeFinding(
        String kind,
        double confidence,
        double growthPerMinute,
        double current,
        String unit,
        String summary,
        String explanation,
        String fingerprint) {

    /** A finding as a rule makes it, before the analysis gives it its {@link #fingerprint()}. */
    public GaugeFinding(
            String kind,
            double confidence,
            double growthPerMinute,
            double current,
            String unit,
            String summary,
            String explanation) {
        this(kind, confidence, growthPerMinute, current, unit, summary, explanation, null);
    }

    public GaugeFinding withFingerprint(String newFingerprint) {
        return new GaugeFinding(kind, confidence, growthPerMinute, current, unit, summary, explanation, newFingerprint);
    }
}
