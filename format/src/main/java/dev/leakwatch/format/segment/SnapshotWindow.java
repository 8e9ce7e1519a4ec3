package dev.leakwatch.format.segment;

import dev.leakwatch.format.model.Snapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps a bounded number of snapshots that still cover a whole run: when full, every second point is dropped and
 * from then on only every second new point is kept (the stride doubles), so memory stays bounded while the window
 * spans the run from its start at an even spacing. The newest snapshot is always kept as well, because the
 * report's "current" figures must be current.
 *
 * <p>Not thread-safe: one owner (the agent's snapshot thread, or a reader) feeds it.
 */
public final class SnapshotWindow {
    private final int maxPoints;
    private final List<Snapshot> kept = new ArrayList<>();
    private Snapshot newest;
    private long offered;
    private long stride = 1;

    public SnapshotWindow(int maxPoints) {
        if (maxPoints < 4) {
            throw new IllegalArgumentException("a window needs at least 4 points, got " + maxPoints);
        }
        this.maxPoints = maxPoints;
    }

    public void add(Snapshot snapshot) {
        newest = snapshot;
        if (offered++ % stride != 0) {
            return;
        }
        kept.add(snapshot);
        if (kept.size() >= maxPoints) {
            thin();
        }
    }

    private void thin() {
        List<Snapshot> thinned = new ArrayList<>(kept.size() / 2 + 1);
        for (int i = 0; i < kept.size(); i += 2) {
            thinned.add(kept.get(i));
        }
        kept.clear();
        kept.addAll(thinned);
        stride *= 2;
    }

    /** The kept points in time order, ending with the newest snapshot offered. */
    public List<Snapshot> snapshots() {
        List<Snapshot> result = new ArrayList<>(kept);
        if (newest != null && (result.isEmpty() || result.get(result.size() - 1) != newest)) {
            result.add(newest);
        }
        return result;
    }

    public long offered() {
        return offered;
    }

    public int maxPoints() {
        return maxPoints;
    }
}
