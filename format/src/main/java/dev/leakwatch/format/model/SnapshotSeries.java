package dev.leakwatch.format.model;

import dev.leakwatch.format.segment.SnapshotWindow;
import java.util.List;

/**
 * The snapshots of one JVM run in time order, with what reading them had to skip.
 *
 * @param source          where the snapshots came from (a directory, a set of jcmd files, the running agent)
 * @param snapshots       in ascending time; may be thinned (see {@link SnapshotWindow}) but always ends at the newest
 * @param recordsRead     records read from storage, before thinning
 * @param skippedRecords  records that could not be read (a truncated last record after a crash, garbage)
 * @param warnings        one line each, for the report: what was skipped or assumed and why
 */
public record SnapshotSeries(
        String source, List<Snapshot> snapshots, long recordsRead, long skippedRecords, List<String> warnings) {

    public SnapshotSeries {
        snapshots = List.copyOf(snapshots);
        warnings = List.copyOf(warnings);
    }

    public boolean isEmpty() {
        return snapshots.isEmpty();
    }

    public int size() {
        return snapshots.size();
    }

    public Snapshot first() {
        return snapshots.get(0);
    }

    public Snapshot last() {
        return snapshots.get(snapshots.size() - 1);
    }

    public long spanMillis() {
        return isEmpty() ? 0 : last().epochMillis() - first().epochMillis();
    }
}
