package dev.leakwatch.format.report;

import java.util.List;

/**
 * What changed between two class histograms ({@code leakwatch diff A B}): per class, instances and bytes before and
 * after. Written as JSON by {@link DiffJson}, schema in {@code docs/formats.md} ({@link #SCHEMA_VERSION}).
 *
 * @param before  the first histogram
 * @param after   the second
 * @param changes every class present on either side whose instances or bytes differ, the largest change of bytes
 *                (either way) first
 * @param unchanged classes present on both sides with the same counts
 */
public record HistogramDiff(Side before, Side after, List<ClassChange> changes, int unchanged) {
    public static final int SCHEMA_VERSION = 1;

    public HistogramDiff {
        changes = List.copyOf(changes);
    }

    public long bytesChange() {
        return after.totalBytes() - before.totalBytes();
    }

    public long instancesChange() {
        return after.totalInstances() - before.totalInstances();
    }

    /**
     * One side of the comparison.
     *
     * @param source        the file or recording it came from
     * @param time          ISO-8601 instant the histogram was taken
     * @param histogramKind {@code live}, {@code all-after-gc} or {@code all}
     */
    public record Side(String source, String time, String histogramKind, long totalBytes, long totalInstances) {}

    /** One class's counts on both sides; 0 on the side where it does not appear. */
    public record ClassChange(
            String className, long instancesBefore, long instancesAfter, long bytesBefore, long bytesAfter) {
        public long bytesChange() {
            return bytesAfter - bytesBefore;
        }

        public long instancesChange() {
            return instancesAfter - instancesBefore;
        }
    }
}
