package dev.leakwatch.agent.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.format.model.AllocationStats;
import dev.leakwatch.format.model.ClassCount;
import dev.leakwatch.format.model.SiteRetention;
import java.lang.ref.Reference;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The JDK objects the tracker names as its own ({@code agentOwned}): its paths' formatted frames, counted once however
 * many paths share them, their key arrays and the map nodes of its tables.
 */
class TrackerFootprintTest {

    @Test
    void namesNothingBeforeItsFirstCount() {
        assertEquals(List.of(), Trackers.tracker().ownFootprint());
    }

    @Test
    void countsEachPathsKeyAndMapNodeAndEachDistinctFrameOnce() {
        AllocationTracker tracker = Trackers.tracker();
        Object here = allocateHere(tracker);
        Object there = allocateThere(tracker);

        tracker.markFootprint();
        Map<String, ClassCount> rows =
                tracker.ownFootprint().stream().collect(Collectors.toMap(ClassCount::className, row -> row));
        AllocationStats stats = tracker.snapshot(1, Integer.MAX_VALUE);

        assertEquals(2, stats.paths().size(), () -> "paths: " + stats.paths());
        // By identity, as the heap holds them: two frames of one line at different bytecode indexes are two strings.
        Set<String> frames = Collections.newSetFromMap(new IdentityHashMap<>());
        for (SiteRetention path : stats.paths()) {
            frames.addAll(path.frames());
        }
        // Each frame string the report shows once; a path's own copy of its site frame may be one more per path.
        ClassCount strings = rows.get("java.lang.String");
        assertTrue(
                strings.instances() >= frames.size()
                        && strings.instances() <= frames.size() + stats.paths().size(),
                () -> frames.size() + " distinct frames, rows " + rows);
        int framesOfBoth =
                stats.paths().stream().mapToInt(path -> path.frames().size()).sum();
        assertTrue(strings.instances() < framesOfBoth, "the two paths share their outer frames, counted once");
        long textBytes = frames.stream()
                .mapToLong(frame -> (16 + frame.length() + 7) & ~7L)
                .sum();
        assertTrue(rows.get("byte[]").bytes() >= textBytes, () -> "a compact string's bytes per frame: " + rows);
        assertEquals(4, rows.get("java.lang.String[]").instances(), "a key's class and method names, per path");
        assertEquals(2, rows.get("int[]").instances(), "a key's bytecode indexes, per path");
        assertTrue(
                rows.get("java.util.concurrent.ConcurrentHashMap$Node").instances() >= 2 + frames.size(),
                () -> "a node per path and per cached frame: " + rows);
        Reference.reachabilityFence(here);
        Reference.reachabilityFence(there);
    }

    private static Object allocateHere(AllocationTracker tracker) {
        Object object = new Object();
        tracker.record(object, 7);
        return object;
    }

    private static Object allocateThere(AllocationTracker tracker) {
        Object object = new Object();
        tracker.record(object, 8);
        return object;
    }
}
