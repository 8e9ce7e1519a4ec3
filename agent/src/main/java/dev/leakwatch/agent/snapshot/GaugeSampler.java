package dev.leakwatch.agent.snapshot;

import dev.leakwatch.format.model.BufferPoolGauge;
import dev.leakwatch.format.model.GcGauge;
import dev.leakwatch.format.model.JvmGauges;
import dev.leakwatch.format.model.MemoryPoolGauge;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the JVM gauges that go with each histogram from the platform MXBeans.
 *
 * <p>Each reading degrades on its own: a bean that throws yields -1 for its numbers (or is left out of a list)
 * instead of costing the whole snapshot. That happens in the field: {@code MemoryUsage}'s constructor throws when a
 * JVM reports committed above max or a negative size (oracle/graal#6814, eclipse-openj9/openj9#23875).
 */
public final class GaugeSampler {
    public JvmGauges sample() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        MemoryUsage heap = usage(memory, true);
        MemoryUsage nonHeap = usage(memory, false);
        ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
        return new JvmGauges(
                used(heap),
                committed(heap),
                max(heap),
                used(nonHeap),
                classes.getLoadedClassCount(),
                classes.getTotalLoadedClassCount(),
                classes.getUnloadedClassCount(),
                ManagementFactory.getThreadMXBean().getThreadCount(),
                memoryPools(),
                bufferPools(),
                collectors());
    }

    private static List<MemoryPoolGauge> memoryPools() {
        List<MemoryPoolGauge> pools = new ArrayList<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            try {
                MemoryUsage now = pool.getUsage(); // null once the pool is no longer valid
                if (now == null) {
                    continue;
                }
                MemoryUsage afterGc = pool.getCollectionUsage(); // null where the pool is not collected
                pools.add(new MemoryPoolGauge(
                        pool.getName(),
                        pool.getType() == MemoryType.HEAP,
                        now.getUsed(),
                        afterGc == null ? -1 : afterGc.getUsed(),
                        now.getCommitted(),
                        now.getMax()));
            } catch (RuntimeException e) {
                // leave the pool out; see the class comment
            }
        }
        return pools;
    }

    private static List<BufferPoolGauge> bufferPools() {
        List<BufferPoolGauge> pools = new ArrayList<>();
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            try {
                pools.add(new BufferPoolGauge(
                        pool.getName(), pool.getCount(), pool.getMemoryUsed(), pool.getTotalCapacity()));
            } catch (RuntimeException e) {
                // leave the pool out; see the class comment
            }
        }
        return pools;
    }

    private static List<GcGauge> collectors() {
        List<GcGauge> collectors = new ArrayList<>();
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            try {
                collectors.add(new GcGauge(
                        collector.getName(), collector.getCollectionCount(), collector.getCollectionTime()));
            } catch (RuntimeException e) {
                // leave the collector out; see the class comment
            }
        }
        return collectors;
    }

    private static MemoryUsage usage(MemoryMXBean memory, boolean heap) {
        try {
            return heap ? memory.getHeapMemoryUsage() : memory.getNonHeapMemoryUsage();
        } catch (RuntimeException e) {
            return null; // see the class comment
        }
    }

    private static long used(MemoryUsage usage) {
        return usage == null ? -1 : usage.getUsed();
    }

    private static long committed(MemoryUsage usage) {
        return usage == null ? -1 : usage.getCommitted();
    }

    private static long max(MemoryUsage usage) {
        return usage == null ? -1 : usage.getMax();
    }
}
