package dev.leakwatch.agent.tracking;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The paths, bounded: at most {@code maxPaths} stack paths; past that, one "other stacks" path per site, at most
 * {@code maxPaths} of those; past that, one path for everything else. Lookups take no lock.
 */
final class PathTable {
    /** Created with the class, not at first use: see {@link AllocationTracker#prepare()}. */
    private static final Function<AllocationPath, PathKey> BY_KEY = path -> path.key;

    private static final Function<AllocationPath, Integer> BY_SITE = path -> path.siteId;

    private final int maxPaths;
    private final PathFactory factory;
    private final ConcurrentHashMap<PathKey, AllocationPath> paths = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, AllocationPath> otherStacks = new ConcurrentHashMap<>();
    private final AtomicInteger pathCount = new AtomicInteger();
    private final AtomicInteger otherStacksCount = new AtomicInteger();
    private volatile AllocationPath otherSites;

    PathTable(int maxPaths, PathFactory factory) {
        this.maxPaths = maxPaths;
        this.factory = factory;
        this.otherSites = factory.otherSites();
    }

    /**
     * The path for {@code key}, created when new. May return a path retired in the meantime: its {@code add} then
     * fails and the caller asks again.
     */
    AllocationPath pathFor(PathKey key, SampledStack stack, Class<?> type) {
        AllocationPath path = live(paths, pathCount, key);
        if (path != null) {
            return path;
        }
        if (pathCount.incrementAndGet() > maxPaths) {
            pathCount.decrementAndGet();
            return otherStacksFor(key.siteId);
        }
        boolean mapped = false;
        try {
            AllocationPath created = factory.create(key, stack, type);
            AllocationPath raced = paths.putIfAbsent(key, created);
            mapped = raced == null;
            return mapped ? created : raced;
        } finally {
            if (!mapped) { // raced, or the factory failed: give the slot back
                pathCount.decrementAndGet();
            }
        }
    }

    /** Calls {@code visitor} on every path; drops the paths it reports retired. */
    void sweep(PathVisitor visitor) {
        sweep(paths, pathCount, visitor, BY_KEY);
        sweep(otherStacks, otherStacksCount, visitor, BY_SITE);
        visitor.visit(otherSites, false);
    }

    /** Retires every path, releasing its samples, and starts empty. */
    void clear(SampleBudget budget) {
        AllocationPath previous = otherSites;
        otherSites = factory.otherSites();
        previous.retire(budget);
        PathVisitor retire = (path, retireWhenEmpty) -> {
            path.retire(budget);
            return false;
        };
        sweep(paths, pathCount, retire, BY_KEY);
        sweep(otherStacks, otherStacksCount, retire, BY_SITE);
    }

    int size() {
        return pathCount.get() + otherStacksCount.get();
    }

    /** Calls {@code action} on every path, retired or not, without changing the table. */
    void forEachPath(Consumer<AllocationPath> action) {
        paths.values().forEach(action);
        otherStacks.values().forEach(action);
        action.accept(otherSites);
    }

    /** The entries of the table's maps: a map node each. */
    long mappedPaths() {
        return (long) paths.size() + otherStacks.size();
    }

    private AllocationPath otherStacksFor(int siteId) {
        Integer site = siteId;
        AllocationPath path = live(otherStacks, otherStacksCount, site);
        if (path != null) {
            return path;
        }
        if (otherStacksCount.incrementAndGet() > maxPaths) {
            otherStacksCount.decrementAndGet();
            return otherSites;
        }
        boolean mapped = false;
        try {
            AllocationPath created = factory.otherStacks(siteId);
            AllocationPath raced = otherStacks.putIfAbsent(site, created);
            mapped = raced == null;
            return mapped ? created : raced;
        } finally {
            if (!mapped) {
                otherStacksCount.decrementAndGet();
            }
        }
    }

    /** The mapped path unless retired; a retired one is unmapped here or by the sweep, whichever comes first. */
    private static <K> AllocationPath live(Map<K, AllocationPath> map, AtomicInteger count, K key) {
        AllocationPath path = map.get(key);
        if (path == null || !path.retired()) {
            return path;
        }
        if (map.remove(key, path)) {
            count.decrementAndGet();
        }
        return null;
    }

    /** Iterates the values, not the entries: a concurrent map's entry iterator allocates an entry per path. */
    private static <K> void sweep(
            Map<K, AllocationPath> map, AtomicInteger count, PathVisitor visitor, Function<AllocationPath, K> keyOf) {
        for (AllocationPath path : map.values()) {
            if (!visitor.visit(path, true) && map.remove(keyOf.apply(path), path)) {
                count.decrementAndGet();
            }
        }
    }

    @FunctionalInterface
    interface PathVisitor {
        /** @return false when the path retired */
        boolean visit(AllocationPath path, boolean retireWhenEmpty);
    }
}
