package dev.leakwatch.agent.sampling;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.agent.tracking.AllocationTracker;
import dev.leakwatch.agent.tracking.SampledStack;
import dev.leakwatch.agent.tracking.SiteNames;
import dev.leakwatch.format.model.SiteRetention;
import java.lang.ref.Reference;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native sampler in this very JVM (the library is built into target/classes by the Maven build): samples reach
 * the listener with the object, its size and the stack it was allocated on, on the sampler's thread and never on the
 * allocating one; their weights estimate what was allocated; and after {@code stop} none arrive.
 */
@EnabledOnOs(OS.LINUX)
class JvmHeapSamplerTest {
    private static final int ARRAY_BYTES = 1_000;
    private static final int STACK_DEPTH = 24;

    @Test
    void samplesReachTheListenerOffTheAllocatingThreadAndEstimateTheBytesAllocated(@TempDir Path scratch)
            throws Exception {
        // Large enough for the sampler's own thread to keep up with this loop (about 10,000 samples/s here): a burst
        // beyond what it drains is dropped and counted, which the last assertions would catch.
        long interval = 256 * 1024;
        AtomicLong samples = new AtomicLong();
        AtomicLong wrongSizes = new AtomicLong();
        DoubleAdder estimatedArrays = new DoubleAdder();
        Set<Thread> listenerThreads = ConcurrentHashMap.newKeySet();
        JvmHeapSampler sampler = JvmHeapSampler.load(scratch);
        sampler.start(interval, STACK_DEPTH, (object, size, sampledAt, stack) -> {
            listenerThreads.add(Thread.currentThread());
            // Most arrays die young, before the drain (null here): the stack and the size tell them.
            if (!allocatedIn(stack, "allocateArray") || object != null && !(object instanceof byte[])) {
                return; // another thread's allocation, or this test's own bookkeeping
            }
            samples.incrementAndGet();
            if (size < ARRAY_BYTES || size > ARRAY_BYTES + 32) {
                wrongSizes.incrementAndGet();
            }
            estimatedArrays.add(SampleWeight.objectsPerSample(size, sampledAt));
        });
        int arrays = 400_000;
        List<byte[]> kept = new ArrayList<>();
        Thread allocator = new Thread(
                () -> {
                    for (int i = 0; i < arrays; i++) {
                        byte[] array = allocateArray();
                        if (i % 100 == 0) {
                            kept.add(array);
                        }
                    }
                },
                "allocator");
        try {
            allocator.start();
            allocator.join();
            sampler.flush();
        } finally {
            sampler.stop();
        }
        assertTrue(samples.get() > 1_000, () -> "about 1,550 samples expected, got " + samples.get());
        assertEquals(0, wrongSizes.get(), "the JVM reports each object's size");
        assertEquals(1.0, estimatedArrays.sum() / arrays, 0.1, "weighted samples estimate the arrays allocated");
        assertFalse(listenerThreads.contains(allocator), "no Java code of ours ran on the allocating thread");
        assertEquals(0, sampler.failures());
        assertEquals(0, sampler.dropped(), "the sampler's thread keeps up with 10,000 samples/s");

        long before = samples.get();
        for (int i = 0; i < arrays; i++) {
            kept.set(i % kept.size(), allocateArray());
        }
        sampler.flush();
        assertEquals(before, samples.get(), "no sample after stop");
    }

    /**
     * The whole JVM-sampler path the agent runs, in this JVM: samples weighed by {@link SampleWeight} into an
     * {@link AllocationTracker} scaled by 1 (the weights already count objects), with the stacks the JVM took. What a
     * path reports as live must be what the code behind it keeps: a quarter of the arrays it allocated.
     */
    @Test
    void trackedEstimatesMatchTheBytesRetained(@TempDir Path scratch) throws Exception {
        long interval = 16 * 1024;
        AllocationTracker tracker = new AllocationTracker(object -> 0, SiteNames.Unavailable.INSTANCE);
        JvmHeapSampler sampler = JvmHeapSampler.load(scratch);
        sampler.start(
                interval,
                STACK_DEPTH,
                (object, size, sampledAt, stack) ->
                        tracker.record(object, 0, SampleWeight.draw(size, sampledAt), size, stack));
        int arrays = 100_000;
        List<byte[]> kept = new ArrayList<>(arrays / 4);
        try {
            for (int i = 0; i < arrays; i++) {
                byte[] array = allocateArray();
                if (i % 4 == 0) {
                    kept.add(array);
                }
                if (i % 1_000 == 0) {
                    sampler.flush(); // about 60 samples a time: no burst beyond what the queue holds
                }
            }
            sampler.flush();
        } finally {
            sampler.stop();
        }
        long retained = (long) kept.size() * ARRAY_BYTES;
        // Dead samples leave the table once the GC cleared their references and the reference handler queued them.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            System.gc();
            long estimated = liveArrayBytes(tracker);
            assertEquals(
                    1.0,
                    estimated / (double) retained,
                    0.15,
                    () -> "estimated " + estimated + " bytes live of " + retained + " kept; paths: "
                            + tracker.snapshot(1, 5).paths());
        });
        Reference.reachabilityFence(kept);
    }

    /**
     * A stack from the JVM reads like one from {@link StackWalker}: the allocating method first, with its file and
     * line, and no frame of the lambda proxy or the reflection in between.
     */
    @Test
    void stacksNameTheAllocatingLineAndHideLambdaAndReflectionFrames(@TempDir Path scratch) throws Exception {
        List<List<String>> stacks = new CopyOnWriteArrayList<>();
        JvmHeapSampler sampler = JvmHeapSampler.load(scratch);
        sampler.start(1024, STACK_DEPTH, (object, size, sampledAt, stack) -> {
            if (object instanceof int[] && allocatedIn(stack, "allocateInts")) {
                List<String> frames = new ArrayList<>();
                for (int i = 0; i < stack.depth(); i++) {
                    frames.add(stack.describe(i));
                }
                stacks.add(frames);
            }
        });
        Method viaReflection = JvmHeapSamplerTest.class.getDeclaredMethod("allocateThroughALambda");
        try {
            for (int i = 0; i < 200 && stacks.isEmpty(); i++) {
                viaReflection.invoke(null);
                sampler.flush();
            }
        } finally {
            sampler.stop();
        }
        assertFalse(stacks.isEmpty(), "no int[] sampled in allocateInts");
        List<String> frames = stacks.get(0);
        assertEquals(
                "dev.leakwatch.agent.sampling.JvmHeapSamplerTest.allocateInts(JvmHeapSamplerTest.java:"
                        + ALLOCATE_INTS_LINE + ")",
                frames.get(0));
        assertTrue(
                frames.get(1).startsWith("dev.leakwatch.agent.sampling.JvmHeapSamplerTest.lambda$"), frames::toString);
        assertTrue(
                frames.get(2).startsWith("dev.leakwatch.agent.sampling.JvmHeapSamplerTest.allocateThroughALambda("),
                frames::toString);
        assertTrue(frames.get(3).startsWith(getClass().getName() + ".stacksNameTheAllocatingLine"), frames::toString);
        assertTrue(
                frames.stream().noneMatch(frame -> frame.contains("$$Lambda") || frame.contains("reflect")),
                frames::toString);
    }

    private static final int ALLOCATE_INTS_LINE = new Throwable().getStackTrace()[0].getLineNumber() + 3;

    private static int[] allocateInts() {
        return new int[64]; // must stay three lines below ALLOCATE_INTS_LINE's declaration
    }

    private static void allocateThroughALambda() {
        Supplier<int[]> supplier = () -> allocateInts();
        List<int[]> kept = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            kept.add(supplier.get());
        }
        Reference.reachabilityFence(kept);
    }

    private static boolean allocatedIn(SampledStack stack, String methodName) {
        return stack.depth() > 0
                && stack.methodName(0).equals(methodName)
                && stack.className(0).equals(JvmHeapSamplerTest.class.getName());
    }

    private static byte[] allocateArray() {
        return new byte[ARRAY_BYTES];
    }

    private static long liveArrayBytes(AllocationTracker tracker) {
        return tracker.snapshot(1, 100).paths().stream()
                .filter(path -> path.allocatedType().equals("byte[]")
                        && path.frames().stream().anyMatch(frame -> frame.contains(".allocateArray(")))
                .mapToLong(SiteRetention::estimatedLiveBytes)
                .sum();
    }

    /** A listener that throws costs the allocating code nothing but a count: the allocations go on unharmed. */
    @Test
    void aThrowingListenerIsCountedNotSeenByTheAllocatingCode(@TempDir Path scratch) throws Exception {
        JvmHeapSampler sampler = JvmHeapSampler.load(scratch);
        sampler.start(1024, STACK_DEPTH, (object, size, sampledAt, stack) -> {
            throw new IllegalStateException("listener failure");
        });
        List<byte[]> kept = new ArrayList<>();
        try {
            for (int i = 0; i < 10_000; i++) {
                kept.add(new byte[ARRAY_BYTES]);
            }
            sampler.flush();
        } finally {
            sampler.stop();
        }
        assertEquals(10_000, kept.size());
        assertTrue(sampler.failures() > 0, "failures counted: " + sampler.failures());
    }

    /**
     * The native queue under fire: four threads allocate while the sampler is started and stopped again and again
     * (each start replaces the queues, each stop frees them) and another thread flushes in a loop. A race between a
     * callback, a drain and a stop would crash this JVM or hand over a stale sample; the allocating code must only
     * ever see its own arrays.
     */
    @Test
    void startsStopsAndDrainsRacingAllocatingThreadsHarmNothing(@TempDir Path scratch) throws Exception {
        AtomicLong delivered = new AtomicLong();
        AtomicLong foreign = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        AtomicLong allocated = new AtomicLong();
        for (int t = 0; t < 4; t++) {
            threads.add(new Thread(
                    () -> {
                        List<byte[]> window = new ArrayList<>();
                        while (running.get()) {
                            window.add(allocateArray());
                            if (window.size() > 1_000) {
                                window.clear();
                            }
                            allocated.incrementAndGet();
                        }
                    },
                    "allocator-" + t));
        }
        AtomicReference<JvmHeapSampler> current = new AtomicReference<>();
        Thread flusher = new Thread(
                () -> {
                    while (running.get()) {
                        JvmHeapSampler sampler = current.get();
                        if (sampler != null) {
                            sampler.flush();
                        }
                    }
                },
                "flusher");
        threads.forEach(Thread::start);
        flusher.start();
        try {
            for (int cycle = 0; cycle < 40; cycle++) {
                JvmHeapSampler sampler = JvmHeapSampler.load(scratch);
                sampler.start(1024 + cycle * 512L, 4 + cycle % 30, (object, size, sampledAt, stack) -> {
                    delivered.incrementAndGet();
                    if (object != null && size <= 0) {
                        foreign.incrementAndGet();
                    }
                });
                current.set(sampler);
                long target = allocated.get() + 20_000;
                await().atMost(Duration.ofSeconds(30)).until(() -> allocated.get() >= target);
                sampler.stop();
                assertEquals(0, sampler.failures(), "cycle " + cycle);
            }
        } finally {
            running.set(false);
            for (Thread thread : threads) {
                thread.join();
            }
            flusher.join();
        }
        assertTrue(delivered.get() > 1_000, () -> "samples delivered: " + delivered.get());
        assertEquals(0, foreign.get(), "every sample carried its size");
    }

    @Test
    void onlyLinuxHasALibraryAndItsPathNamesTheArchitecture() {
        assertEquals(
                Optional.of("/META-INF/leakwatch/native/linux-amd64/libleakwatch.so"),
                NativeLibrary.resourceFor("Linux", "amd64"));
        assertEquals(
                Optional.of("/META-INF/leakwatch/native/linux-aarch64/libleakwatch.so"),
                NativeLibrary.resourceFor("Linux", "aarch64"));
        assertFalse(NativeLibrary.resourceFor("Mac OS X", "aarch64").isPresent());
        assertFalse(NativeLibrary.resourceFor("Windows 11", "amd64").isPresent());
    }

    @Test
    void aDirectoryThatCannotTakeTheLibraryIsAClearReason(@TempDir Path scratch) {
        Path missing = scratch.resolve("missing");
        SamplerUnavailableException error = org.junit.jupiter.api.Assertions.assertThrows(
                SamplerUnavailableException.class, () -> NativeLibrary.load(missing));
        assertTrue(error.getMessage().startsWith("could not copy the native library to " + missing), error::getMessage);
    }
}
