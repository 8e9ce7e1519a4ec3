package dev.leakwatch.agent.instrument;

import dev.leakwatch.format.model.LoaderStats;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Counts the classes each class loader defines, by loader type, from the class-definition callbacks, so that a
 * class-loader leak names the loader type that accumulates classes. It never changes a class (it returns null),
 * and it holds loaders only weakly: counting them must not be what keeps them alive.
 */
public final class ClassDefinitionCounter implements ClassFileTransformer {
    static final String BOOTSTRAP = "<bootstrap>";
    /** Loader types reported per snapshot. */
    static final int TYPES_REPORTED = 20;

    private final Map<ClassLoader, long[]> definedByLoader = new WeakHashMap<>();
    private long bootstrapDefined;
    private volatile Instrumentation installedOn;

    public void install(Instrumentation instrumentation) {
        instrumentation.addTransformer(this, false);
        installedOn = instrumentation;
    }

    public void uninstall() {
        Instrumentation instrumentation = installedOn;
        if (instrumentation != null) {
            instrumentation.removeTransformer(this);
            installedOn = null;
        }
        synchronized (this) {
            definedByLoader.clear();
        }
    }

    @Override
    public byte[] transform(
            ClassLoader loader,
            String className,
            Class<?> classBeingRedefined,
            ProtectionDomain protectionDomain,
            byte[] classfileBuffer) {
        if (classBeingRedefined != null) {
            return null;
        }
        try {
            synchronized (this) {
                if (loader == null) {
                    bootstrapDefined++;
                } else {
                    definedByLoader.computeIfAbsent(loader, key -> new long[1])[0]++;
                }
            }
        } catch (Throwable ignored) {
            // Counting is best effort; the class loads as it would without us.
        }
        return null;
    }

    /** Live loaders and the classes they defined, per loader type, most live loaders first. */
    public synchronized List<LoaderStats> snapshot() {
        Map<String, long[]> byType = new HashMap<>();
        for (Map.Entry<ClassLoader, long[]> entry : definedByLoader.entrySet()) {
            long[] totals = byType.computeIfAbsent(entry.getKey().getClass().getName(), type -> new long[2]);
            totals[0]++;
            totals[1] += entry.getValue()[0];
        }
        List<LoaderStats> stats = new ArrayList<>();
        byType.forEach((type, totals) -> stats.add(new LoaderStats(type, totals[0], totals[1])));
        if (bootstrapDefined > 0) {
            stats.add(new LoaderStats(BOOTSTRAP, 1, bootstrapDefined));
        }
        stats.sort(Comparator.comparingLong(LoaderStats::liveLoaders)
                .thenComparingLong(LoaderStats::definedClasses)
                .reversed());
        return stats.size() > TYPES_REPORTED ? List.copyOf(stats.subList(0, TYPES_REPORTED)) : stats;
    }
}
