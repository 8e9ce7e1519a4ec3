package dev.leakwatch.format.segment;

import dev.leakwatch.format.model.Snapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps a bounded number of snapshots that still cover a whole run, thinned by a {@link ThinningPolicy}: at most
 * {@code maxPoints} of them, spanning the run from its start at an even spacing, and always ending with the newest
 * snapshot, because the report's "current" figures must be current.
 *
 * <p>Not thread-safe: one owner (the agent's snapshot thread, or a reader) feeds it.
 */
public final class SnapshotWindow {
    /** How many snapshots a series keeps at most when the caller has no opinion. */
    public static final int DEFAULT_MAX_POINTS = 2000;

    private final ThinningPolicy thinning;
    /** Point {@code i} of the policy at index {@code i}; no more than the policy's size. */
    private final List<Snapshot> points = new ArrayList<>();

    public SnapshotWindow(int maxPoints) {
        if (maxPoints < ThinningPolicy.MIN_POINTS) {
            throw new IllegalArgumentException(
                    "a window needs at least " + ThinningPolicy.MIN_POINTS + " points, got " + maxPoints);
        }
        this.thinning = new ThinningPolicy(maxPoints);
    }

    public void add(Snapshot snapshot) {
        int slot = thinning.nextSlot();
        if (slot == points.size()) {
            points.add(snapshot);
        } else {
            points.set(slot, snapshot);
        }
        thinning.accept((from, to) -> points.set(to, points.get(from)));
        // Thinning frees the slots past the policy's size: drop them, or they keep dropped snapshots alive.
        points.subList(thinning.size(), points.size()).clear();
    }

    /** The kept points in time order, ending with the newest snapshot offered. */
    public List<Snapshot> snapshots() {
        return new ArrayList<>(points);
    }

    public long offered() {
        return thinning.offered();
    }

    public int maxPoints() {
        return thinning.maxPoints();
    }
}
