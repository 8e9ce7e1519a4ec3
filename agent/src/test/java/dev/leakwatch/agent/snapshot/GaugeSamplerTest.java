package dev.leakwatch.agent.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.format.model.JvmGauges;
import dev.leakwatch.format.model.MemoryPoolGauge;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class GaugeSamplerTest {

    @Test
    void readsPlausibleNumbersFromThisJvm() {
        ByteBuffer direct = ByteBuffer.allocateDirect(4096); // so the "direct" pool holds something

        JvmGauges gauges = new GaugeSampler().sample();

        assertTrue(gauges.heapUsed() > 0, "heap used " + gauges.heapUsed());
        assertTrue(gauges.heapCommitted() >= gauges.heapUsed(), "committed " + gauges.heapCommitted());
        assertTrue(gauges.heapMax() == -1 || gauges.heapMax() >= gauges.heapCommitted(), "max " + gauges.heapMax());
        assertTrue(gauges.nonHeapUsed() > 0);
        assertTrue(gauges.loadedClasses() > 1000, "loaded classes " + gauges.loadedClasses());
        assertTrue(gauges.totalLoadedClasses() >= gauges.loadedClasses());
        assertTrue(gauges.unloadedClasses() >= 0);
        assertTrue(gauges.liveThreads() >= 1);

        assertTrue(gauges.memoryPools().stream().anyMatch(MemoryPoolGauge::heap), "a heap pool");
        assertTrue(gauges.memoryPools().stream().anyMatch(pool -> !pool.heap()), "a non-heap pool");
        assertTrue(gauges.metaspaceUsed() > 0, "metaspace " + gauges.metaspaceUsed());
        assertEquals(-1, gauges.pool("Metaspace").orElseThrow().usedAfterGc(), "metaspace is not a collected pool");
        assertTrue(gauges.heapLiveAfterGc() > 0);

        assertTrue(gauges.bufferPool("direct").orElseThrow().usedBytes() >= direct.capacity());
        assertTrue(gauges.bufferPool("mapped").isPresent());
        assertFalse(gauges.collectors().isEmpty());
        assertTrue(gauges.collectors().stream().allMatch(gc -> gc.collections() >= -1 && gc.timeMillis() >= -1));
    }
}
