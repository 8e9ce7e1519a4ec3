package dev.leakwatch.agent.sampling;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.agent.tracking.AllocationTracker;
import dev.leakwatch.agent.tracking.SiteNames;
import dev.leakwatch.agent.tracking.TrackingSettings;
import dev.leakwatch.analyzer.model.SiteRetention;
import java.lang.ref.Reference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native sampler in this very JVM (the library is built into target/classes by the Maven build): samples reach
 * the listener with the object and its size, their weights estimate what was allocated, and after {@code stop} none
 * arrive.
 */
@EnabledOnOs(OS.LINUX)
class JvmHeapSamplerTest {
    private static final int ARRAY_BYTES = 1_000;

    @Test
    void samplesCarryTheObjectAndEstimateTheBytesAllocated(@TempDir Path scratch) throws Exception {
        Thread me = Thread.currentThread();
        long interval = 16 * 1024;
        AtomicLong samples = new AtomicLong();
        AtomicLong wrongSizes = new AtomicLong();
        DoubleAdder estimatedArrays = new DoubleAdder();
        JvmHeapSampler sampler = JvmHeapSampler.load(scratch);
        sampler.start(interval, (object, size) -> {
            if (Thread.currentThread() != me || !(object instanceof byte[] array) || array.length != ARRAY_BYTES) {
                return; // another thread's allocation, or this test's own bookkeeping
            }
            samples.incrementAndGet();
            if (size < ARRAY_BYTES || size > ARRAY_BYTES + 32) {
                wrongSizes.incrementAndGet();
            }
            estimatedArrays.add(SampleWeight.objectsPerSample(size, interval));
        });
        int arrays = 200_000;
        List<byte[]> kept = new ArrayList<>();
        try {
            for (int i = 0; i < arrays; i++) {
                byte[] array = new byte[ARRAY_BYTES];
                if (i % 100 == 0) {
                    kept.add(array);
                }
            }
        } finally {
            sampler.stop();
        }
        assertTrue(samples.get() > 1_000, () -> "about 12,000 samples expected, got " + samples.get());
        assertEquals(0, wrongSizes.get(), "the JVM reports each object's size");
        assertEquals(1.0, estimatedArrays.sum() / arrays, 0.1, "weighted samples estimate the arrays allocated");

        long before = samples.get();
        for (int i = 0; i < arrays; i++) {
            kept.set(i % kept.size(), new byte[ARRAY_BYTES]);
        }
        assertEquals(before, samples.get(), "no sample after stop");
    }

    /**
     * The whole JVM-sampler path the agent runs, in this JVM: samples weighed by {@link SampleWeight} into an
     * {@link AllocationTracker} scaled by 1 (the weights already count objects). What a path reports as live must be
     * what the code behind it keeps: a quarter of the arrays it allocated.
     */
    @Test
    void trackedEstimatesMatchTheBytesRetained(@TempDir Path scratch) throws Exception {
        Thread me = Thread.currentThread();
        long interval = 16 * 1024;
        // This test's own frames are in the agent's packages, which the default settings skip as the hook's.
        AllocationTracker tracker = new AllocationTracker(object -> 0, SiteNames.Unavailable.INSTANCE,
                TrackingSettings.defaults().withHookFramePrefixes(List.of(JvmHeapSampler.Relay.class.getName())));
        JvmHeapSampler sampler = JvmHeapSampler.load(scratch);
        sampler.start(interval, (object, size) -> {
            if (Thread.currentThread() == me) {
                tracker.record(object, 0, SampleWeight.draw(size, interval), size);
            }
        });
        int arrays = 100_000;
        List<byte[]> kept = new ArrayList<>(arrays / 4);
        try {
            for (int i = 0; i < arrays; i++) {
                byte[] array = allocateArray();
                if (i % 4 == 0) {
                    kept.add(array);
                }
            }
        } finally {
            sampler.stop();
        }
        long retained = (long) kept.size() * ARRAY_BYTES;
        // Dead samples leave the table once the GC cleared their references and the reference handler queued them.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            System.gc();
            long estimated = liveArrayBytes(tracker);
            assertEquals(1.0, estimated / (double) retained, 0.15, () -> "estimated " + estimated + " bytes live of "
                    + retained + " kept; paths: " + tracker.snapshot(1, 5).paths());
        });
        Reference.reachabilityFence(kept);
    }

    private static byte[] allocateArray() {
        return new byte[ARRAY_BYTES];
    }

    private static long liveArrayBytes(AllocationTracker tracker) {
        return tracker.snapshot(1, 100).paths().stream()
                .filter(path -> path.allocatedType().equals("byte[]")
                        && path.frames().stream().anyMatch(frame -> frame.contains(".allocateArray(")))
                .mapToLong(SiteRetention::estimatedLiveBytes).sum();
    }

    /** A listener that throws costs the allocating code nothing but a count: the allocations go on unharmed. */
    @Test
    void aThrowingListenerIsCountedNotSeenByTheAllocatingCode(@TempDir Path scratch) throws Exception {
        JvmHeapSampler sampler = JvmHeapSampler.load(scratch);
        sampler.start(1024, (object, size) -> {
            throw new IllegalStateException("listener failure");
        });
        List<byte[]> kept = new ArrayList<>();
        try {
            for (int i = 0; i < 10_000; i++) {
                kept.add(new byte[ARRAY_BYTES]);
            }
        } finally {
            sampler.stop();
        }
        assertEquals(10_000, kept.size());
        assertTrue(sampler.failures() > 0, "failures counted: " + sampler.failures());
    }

    @Test
    void onlyLinuxHasALibraryAndItsPathNamesTheArchitecture() {
        assertEquals(Optional.of("/META-INF/leakwatch/native/linux-amd64/libleakwatch.so"),
                NativeLibrary.resourceFor("Linux", "amd64"));
        assertEquals(Optional.of("/META-INF/leakwatch/native/linux-aarch64/libleakwatch.so"),
                NativeLibrary.resourceFor("Linux", "aarch64"));
        assertFalse(NativeLibrary.resourceFor("Mac OS X", "aarch64").isPresent());
        assertFalse(NativeLibrary.resourceFor("Windows 11", "amd64").isPresent());
    }

    @Test
    void aDirectoryThatCannotTakeTheLibraryIsAClearReason(@TempDir Path scratch) {
        Path missing = scratch.resolve("missing");
        SamplerUnavailableException error = org.junit.jupiter.api.Assertions.assertThrows(SamplerUnavailableException.class,
                () -> NativeLibrary.load(missing));
        assertTrue(error.getMessage().startsWith("could not copy the native library to " + missing), error::getMessage);
    }
}
