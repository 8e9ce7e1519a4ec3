package dev.leakwatch.format.segment;

/**
 * Decides which points of a time series a bounded container keeps, so that however long a run lasts it holds at most
 * {@link #maxPoints()} points that still span the run from its first point at an even spacing, and always ends with
 * the newest point: the report's "current" figures must be current.
 *
 * <p>The rule: a point is kept for good when it lands on the stride (every point at first). When the kept points
 * reach {@code maxPoints}, every second one is dropped (points 0, 2, 4, ... stay) and the stride doubles. A point off
 * the stride, or a newest point that thinning dropped, stays as the <em>provisional</em> last point until the next
 * point replaces it.
 *
 * <p>The policy works on slots, not on points: a container stores point {@code i} in its slot {@code i}, writes each
 * new point to {@link #nextSlot()}, and moves points when {@link #accept} tells it to. So one rule serves a list of
 * snapshots ({@link SnapshotWindow}) and the analyzer's columns ({@code SeriesTable}, which thins in place), and both
 * need at most {@code maxPoints} slots. Not thread-safe: the container's owner calls it.
 */
public final class ThinningPolicy {
    /** The fewest points allowed: with fewer, a thinned series is little more than its first and newest point. */
    public static final int MIN_POINTS = 4;

    private final int maxPoints;
    private int committed;
    private boolean provisional;
    private long offered;
    private long stride = 1;

    /** How a container moves the point in one slot to another, lower slot; the source slot is free afterwards. */
    @FunctionalInterface
    public interface Compaction {
        void move(int from, int to);
    }

    /** @throws IllegalArgumentException when {@code maxPoints} is below {@link #MIN_POINTS} */
    public ThinningPolicy(int maxPoints) {
        if (maxPoints < MIN_POINTS) {
            throw new IllegalArgumentException(
                    "thinning needs room for at least " + MIN_POINTS + " points, got " + maxPoints);
        }
        this.maxPoints = maxPoints;
    }

    /** The slot the next point goes to: after the kept points, over the provisional last point if there is one. */
    public int nextSlot() {
        return committed;
    }

    /**
     * Takes the point the container has just written to {@link #nextSlot()}. When that fills the kept points, thins
     * them through {@code compaction}, in ascending order of slots, so a container can move its points in place.
     */
    public void accept(Compaction compaction) {
        if (offered++ % stride != 0) {
            provisional = true;
            return;
        }
        committed++;
        provisional = false;
        if (committed >= maxPoints) {
            thin(compaction);
        }
    }

    private void thin(Compaction compaction) {
        int newest = committed - 1;
        int kept = 0;
        for (int from = 0; from < committed; from += 2) {
            if (from != kept) {
                compaction.move(from, kept);
            }
            kept++;
        }
        committed = kept;
        stride *= 2;
        if (newest % 2 == 1) {
            compaction.move(newest, committed);
            provisional = true;
        }
    }

    /** Points held: the kept ones and the provisional last point; slots {@code 0 .. size() - 1}, the newest last. */
    public int size() {
        return committed + (provisional ? 1 : 0);
    }

    /** Points offered so far, kept or not. */
    public long offered() {
        return offered;
    }

    public int maxPoints() {
        return maxPoints;
    }
}
