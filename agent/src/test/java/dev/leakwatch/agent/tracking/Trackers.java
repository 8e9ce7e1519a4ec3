package dev.leakwatch.agent.tracking;

import static org.awaitility.Awaitility.await;

import dev.leakwatch.format.model.AllocationStats;
import dev.leakwatch.format.model.SiteRetention;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/** Trackers for tests: the test classes live in the agent's package, so only the bootstrap's frames are the hook's. */
final class Trackers {
    static final long SHALLOW_SIZE = 16;
    static final Duration PATIENCE = Duration.ofSeconds(30);
    static final List<String> BOOTSTRAP_ONLY = List.of("dev.leakwatch.bootstrap.");

    private Trackers() {}

    static TrackingSettings settings() {
        return TrackingSettings.defaults().withHookFramePrefixes(BOOTSTRAP_ONLY);
    }

    static AllocationTracker tracker() {
        return tracker(settings());
    }

    static AllocationTracker tracker(TrackingSettings settings) {
        return new AllocationTracker(object -> SHALLOW_SIZE, SiteNames.Unavailable.INSTANCE, settings);
    }

    /** Collects garbage and snapshots until {@code condition} holds; the snapshot that satisfied it. */
    static AllocationStats awaitStats(AllocationTracker tracker, Predicate<AllocationStats> condition) {
        AtomicReference<AllocationStats> satisfied = new AtomicReference<>();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20)).until(() -> {
            System.gc();
            AllocationStats stats = tracker.snapshot(1, Integer.MAX_VALUE);
            satisfied.set(stats);
            return condition.test(stats);
        });
        return satisfied.get();
    }

    /** The path whose innermost frame is in {@code method} of the calling test's helpers. */
    static Optional<SiteRetention> allocatedIn(AllocationStats stats, String method) {
        return stats.paths().stream()
                .filter(path -> !path.frames().isEmpty() && path.frames().get(0).contains("." + method + "("))
                .findFirst();
    }

    static long liveIn(AllocationStats stats, String method) {
        return allocatedIn(stats, method).map(SiteRetention::liveSamples).orElse(0L);
    }
}
