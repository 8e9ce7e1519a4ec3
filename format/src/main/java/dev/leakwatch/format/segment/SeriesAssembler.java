package dev.leakwatch.format.segment;

import dev.leakwatch.format.model.Snapshot;
import dev.leakwatch.format.model.SnapshotSeries;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The state of one {@link SnapshotDirectoryReader} read: groups the snapshots of every segment into the runs of
 * their JVMs ({@link JvmRun}), keeps the warnings and the count of records lost, and assembles the series of the run
 * whose last snapshot is newest.
 */
final class SeriesAssembler {
    private static final Comparator<Snapshot> TIME_ORDER =
            Comparator.comparingLong(Snapshot::epochMillis).thenComparingLong(Snapshot::sequence);

    private final int maxPoints;
    private final List<JvmRun> runs = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private long skipped;
    private String firstProblem;

    /** Each run's snapshots thinned to {@code maxPoints}, a size {@link SnapshotWindow} accepts. */
    SeriesAssembler(int maxPoints) {
        this.maxPoints = maxPoints;
    }

    /** Adds a snapshot to its run; false when the run has a snapshot of that sequence number already. */
    boolean accept(Snapshot snapshot) {
        long start = JvmRun.startEstimate(snapshot);
        for (JvmRun run : runs) {
            if (run.matches(snapshot.pid(), start)) {
                return run.add(snapshot, start);
            }
        }
        JvmRun run = new JvmRun(snapshot.pid(), start, new SnapshotWindow(maxPoints));
        run.add(snapshot, start);
        runs.add(run);
        return true;
    }

    /** Records lost, described in one warning. */
    void skip(long records, String warning) {
        skipped += records;
        noteProblem(warning);
        warn(warning);
    }

    /** Remembers the first problem met: the error names it when no record at all was readable. */
    void noteProblem(String problem) {
        if (firstProblem == null) {
            firstProblem = problem;
        }
    }

    /** A warning about a segment that lost no record to it (duplicates dropped, stray bytes between members). */
    void warn(String warning) {
        warnings.add("segment " + warning);
    }

    /**
     * The series of the run whose last snapshot is newest, called {@code source}, warning of the runs left out.
     *
     * @throws InputException when records were found but none was readable
     */
    SnapshotSeries finish(String source) throws InputException {
        if (runs.isEmpty()) {
            if (skipped > 0) {
                throw new InputException(source + ": no readable snapshot (" + skipped
                        + (skipped == 1 ? " record" : " records") + " skipped: " + firstProblem + ")");
            }
            warnings.add("the segment files hold no snapshot yet");
            return new SnapshotSeries(source, List.of(), 0, 0, warnings);
        }
        JvmRun analyzed = runs.get(0);
        for (JvmRun run : runs) {
            if (run.lastEpochMillis() >= analyzed.lastEpochMillis()) {
                analyzed = run;
            }
        }
        if (runs.size() > 1) {
            warnings.add(runsWarning(analyzed));
        }
        List<Snapshot> snapshots = analyzed.window().snapshots();
        snapshots.sort(TIME_ORDER);
        return new SnapshotSeries(source, snapshots, analyzed.window().offered(), skipped, warnings);
    }

    private String runsWarning(JvmRun analyzed) {
        String leftOut = runs.stream()
                .filter(run -> run != analyzed)
                .map(JvmRun::describe)
                .collect(Collectors.joining("; "));
        return "the directory holds records of " + runs.size() + " JVM runs; analyzing the newest, "
                + analyzed.describe() + "; left out: " + leftOut;
    }
}
