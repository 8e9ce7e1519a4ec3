package dev.leakwatch.analyzer.analysis;

import dev.leakwatch.format.model.ClassCount;
import dev.leakwatch.format.model.ClassHistogram;
import dev.leakwatch.format.model.Snapshot;
import dev.leakwatch.format.report.HistogramDiff;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Compares two snapshots class by class ({@code leakwatch diff}). Rows of one name (classes of that name defined by
 * several class loaders) add up, and the objects the agent named as its own ({@code agentOwned}) are taken out, as
 * the analysis takes them out: a diff of two recordings shows the application's change, not the agent's table.
 */
public final class HistogramDiffs {
    private HistogramDiffs() {}

    public static HistogramDiff between(String beforeSource, Snapshot before, String afterSource, Snapshot after) {
        Map<String, long[]> first = counts(before);
        Map<String, long[]> second = counts(after);
        TreeSet<String> names = new TreeSet<>(first.keySet());
        names.addAll(second.keySet());
        List<HistogramDiff.ClassChange> changes = new ArrayList<>();
        int unchanged = 0;
        long[] none = new long[2];
        for (String name : names) {
            long[] a = first.getOrDefault(name, none);
            long[] b = second.getOrDefault(name, none);
            if (a[0] == b[0] && a[1] == b[1]) {
                unchanged++;
                continue;
            }
            changes.add(new HistogramDiff.ClassChange(name, a[0], b[0], a[1], b[1]));
        }
        changes.sort(Comparator.comparingLong((HistogramDiff.ClassChange change) -> Math.abs(change.bytesChange()))
                .reversed()
                .thenComparing(HistogramDiff.ClassChange::className));
        return new HistogramDiff(
                side(beforeSource, before, first), side(afterSource, after, second), changes, unchanged);
    }

    /** {instances, bytes} per class name, the agent's own objects subtracted (never below zero). */
    private static Map<String, long[]> counts(Snapshot snapshot) {
        Map<String, long[]> counts = new HashMap<>();
        ClassHistogram histogram = snapshot.histogram();
        for (int row = 0; row < histogram.size(); row++) {
            long[] sum = counts.computeIfAbsent(histogram.className(row), name -> new long[2]);
            sum[0] += histogram.instances(row);
            sum[1] += histogram.bytes(row);
        }
        for (ClassCount own : snapshot.agentOwned()) {
            long[] sum = counts.get(own.className());
            if (sum != null) {
                sum[0] = Math.max(0, sum[0] - own.instances());
                sum[1] = Math.max(0, sum[1] - own.bytes());
            }
        }
        return counts;
    }

    private static HistogramDiff.Side side(String source, Snapshot snapshot, Map<String, long[]> counts) {
        long bytes = 0;
        long instances = 0;
        for (long[] count : counts.values()) {
            instances += count[0];
            bytes += count[1];
        }
        return new HistogramDiff.Side(
                source,
                Instant.ofEpochMilli(snapshot.epochMillis()).toString(),
                snapshot.histogram().kind().wireName(),
                bytes,
                instances);
    }
}
