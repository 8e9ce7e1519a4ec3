package dev.leakwatch.agent.tracking;

import dev.leakwatch.analyzer.series.HeapSizes;
import dev.leakwatch.format.model.ClassCount;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the tracker's paths and frame cache hold in the host's heap as JDK objects, as histogram rows: the agent names
 * them in each snapshot's {@code agentOwned} so that the analysis takes them out of the host's classes. Its own types
 * ({@code dev.leakwatch.*}) need no naming; the analysis leaves them out by name. Uncounted, the formatted frames, key
 * arrays and map nodes of the paths that turn up early in a run are growth the application did not make (a control
 * under heavy load once showed an early {@code byte[]} candidate).
 *
 * <p>Counted when asked, by walking the paths (at most {@code maxPaths} of each kind) and the cache: a string shared
 * by paths and the cache counts once. Sizes as {@link HeapSizes} gives them; the small container objects (a path's
 * frame list, the maps' tables) are left out, so the rows never name more than the heap holds.
 */
final class TrackerFootprint {
    private static final long MAP_NODE_BYTES = 32;

    private long mapNodes;
    private long stringArrays;
    private long stringArrayBytes;
    private long intArrays;
    private long intArrayBytes;
    private long objectArrays;
    private long objectArrayBytes;
    private final Map<String, Boolean> strings = new IdentityHashMap<>();

    private TrackerFootprint() {}

    static List<ClassCount> of(PathTable table, FrameFormatter formatter) {
        TrackerFootprint footprint = new TrackerFootprint();
        table.forEachPath(footprint::path);
        footprint.mapNodes += table.mappedPaths() + formatter.cachedFrames();
        formatter.forEachCachedFrame(footprint::string);
        return footprint.rows();
    }

    private void path(AllocationPath path) {
        PathKey key = path.key;
        if (key != null) {
            stringArrays += 2;
            stringArrayBytes += 2 * referenceArrayBytes(key.classNames.length);
            intArrays++;
            intArrayBytes += HeapSizes.arrayBytes(4L * key.bytecodeIndexes.length);
        }
        if (path.frames.size() > 2) { // List.copyOf keeps one or two elements in fields, more in an array
            objectArrays++;
            objectArrayBytes += referenceArrayBytes(path.frames.size());
        }
        for (String frame : path.frames) {
            string(frame);
        }
    }

    private void string(String text) {
        strings.put(text, Boolean.TRUE);
    }

    private List<ClassCount> rows() {
        List<ClassCount> rows = new ArrayList<>(6);
        add(rows, "java.util.concurrent.ConcurrentHashMap$Node", mapNodes, mapNodes * MAP_NODE_BYTES);
        add(rows, "java.lang.String[]", stringArrays, stringArrayBytes);
        add(rows, "int[]", intArrays, intArrayBytes);
        add(rows, "java.lang.Object[]", objectArrays, objectArrayBytes);
        long textBytes = 0;
        for (String text : strings.keySet()) {
            textBytes += HeapSizes.stringArrayBytes(text);
        }
        add(rows, "java.lang.String", strings.size(), strings.size() * HeapSizes.STRING_BYTES);
        add(rows, "byte[]", strings.size(), textBytes);
        return List.copyOf(rows);
    }

    private static void add(List<ClassCount> rows, String className, long instances, long bytes) {
        if (instances > 0) {
            rows.add(new ClassCount(className, instances, bytes));
        }
    }

    private static long referenceArrayBytes(int length) {
        return HeapSizes.arrayBytes(4L * length);
    }
}
