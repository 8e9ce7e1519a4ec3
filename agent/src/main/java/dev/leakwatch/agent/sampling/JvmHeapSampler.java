package dev.leakwatch.agent.sampling;

import dev.leakwatch.agent.tracking.SampledStack;
import dev.leakwatch.format.model.ClassCount;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The JVM's own heap sampler (JVMTI {@code SampledObjectAlloc}, JDK 11+): one sample per {@code interval} bytes
 * allocated on average, every class, no bytecode changed. Each sample (the object, its size, its stack) reaches the
 * {@link Listener} on the agent's own thread, {@value #THREAD_NAME}.
 *
 * <p><b>Why.</b> Bytecode hooks at every allocation site cost an allocation-heavy workload about 10% even when nothing
 * is sampled: the instrumented code itself is slower (escape analysis defeated by the hook's argument, inlining
 * budgets spent on the hook). The JVM's sampler costs the allocation path nothing: it shortens the thread's TLAB so
 * that only the allocation crossing the next sample point takes the slow path (docs/measurements.md,
 * "Allocation tracking overhead").
 *
 * <p><b>No Java code on the allocating thread.</b> The native callback runs on the allocating thread, wherever it is,
 * including while that thread loads or initializes a class. Java code run there (to walk the stack and record the
 * sample) can make a JDK class fail to resolve for the host for good: a {@code ClassCircularityError}, then "Could
 * not initialize class ... LocaleProviderAdapter" in the application. So
 * the callback takes only a weak reference to the object, the JVM's stack walk (method IDs and bytecode indexes) and
 * the interval in force, into a bounded native queue ({@value #QUEUE_CAPACITY} samples; beyond it samples are
 * dropped and counted). This class's thread drains the queue every {@value #DRAIN_MILLIS} ms, or as soon as it is half
 * full, resolves the frames
 * ({@link JvmMethods}), drops the frames {@link StackWalker} would hide ({@link HiddenFrames}) and hands each sample
 * to the listener, with a null object when the object died before the drain.
 *
 * <p><b>Sampling.</b> Sample points are drawn by the JVM at exponentially distributed byte distances with mean
 * {@code interval}, so an object of {@code size} bytes is sampled with probability {@code 1 - exp(-size/interval)}
 * ({@link SampleWeight}). The interval is global to the JVM, shared with any other agent that uses the sampler. Threads
 * whose name starts with {@value #AGENT_THREAD_PREFIX} are the agent's and not sampled (the callback looks each
 * thread's name up once).
 *
 * <p><b>One at a time.</b> The native queue is one per JVM (per loaded library): a sampler started while another runs
 * takes the queue over. The agent stops its sampler before it starts another.
 *
 * <p><b>Memory.</b> Two native queues of {@value #QUEUE_CAPACITY} samples of up to {@code stackDepth + }
 * {@value #HIDDEN_FRAME_ALLOWANCE} frames (16 bytes each): about 1.1 MB at the default depth, and the same in Java
 * arrays to drain them into, allocated once at start.
 */
public final class JvmHeapSampler {
    /** The largest interval the JVM takes ({@code jint}); longer ones are clamped to it. */
    public static final long MAX_INTERVAL = Integer.MAX_VALUE;
    /** Threads named so are the agent's own; the native callback skips their allocations. */
    public static final String AGENT_THREAD_PREFIX = "leakwatch-";

    static final String THREAD_NAME = AGENT_THREAD_PREFIX + "jvm-samples";
    /** Samples queued between two drains: 20,000 samples/s at the drain period before any is dropped. */
    static final int QUEUE_CAPACITY = 1024;

    static final long DRAIN_MILLIS = 50;
    /** Frames taken beyond the stack depth asked for, so that dropping hidden frames still leaves that depth. */
    static final int HIDDEN_FRAME_ALLOWANCE = 8;
    /** The library's deepest stack ({@code LW_MAX_DEPTH}). */
    static final int NATIVE_MAX_DEPTH = 320;
    /** The native library this class was written against ({@code LW_NATIVE_VERSION}). */
    private static final int EXPECTED_NATIVE_VERSION = 2;

    /** Where samples go: called on the sampler's thread (or the caller of {@link #flush()}), one sample at a time. */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param object   the sampled object; null when it was collected before the drain (it retains nothing, but
         *                 it was allocated)
         * @param size     the object's shallow size, as the JVM reports it
         * @param interval the mean sampling interval in force when it was sampled
         * @param stack    where it was allocated, innermost frame first (the allocating method)
         */
        void sampled(Object object, long size, long interval, SampledStack stack);
    }

    private final ReentrantLock draining = new ReentrantLock();
    private final LongAdder failures = new LongAdder();
    private final JvmMethods methods = new JvmMethods(JvmHeapSampler::describeMethod0, JvmHeapSampler::lineTable0);
    private Batch batch;
    private Listener listener;
    private volatile Thread drainer;
    /** While true, the thread leaves samples queued (the queue drops what does not fit); see {@link #pauseWhile}. */
    private volatile BooleanSupplier paused = () -> false;

    private JvmHeapSampler() {}

    /**
     * Whether the agent jar holds a native library for this platform: the sampler can be expected to load, though
     * only {@link #load} tells. Reads no library and loads no code.
     */
    public static boolean libraryShipped() {
        // No lambda: this runs in premain (OptionsParser.KEYS says why that matters).
        Optional<String> resource =
                NativeLibrary.resourceFor(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
        return resource.isPresent() && NativeLibrary.class.getResource(resource.get()) != null;
    }

    /**
     * Loads the native library if this class loader has not yet: a sampler ready to {@link #start}.
     *
     * @param scratch where the native library is copied to be loaded (deleted at once)
     * @throws SamplerUnavailableException with a one-line reason when the library cannot run in this JVM
     */
    public static JvmHeapSampler load(Path scratch) throws SamplerUnavailableException {
        ensureLoaded(scratch);
        return new JvmHeapSampler();
    }

    /**
     * Starts sampling every {@code interval} bytes on average, delivering samples with up to {@code stackDepth} frames
     * to {@code listener} on a daemon thread of its own.
     *
     * @throws SamplerUnavailableException with a one-line reason when the JVM refuses (no JVMTI 11, the capability
     *                                     is not available, no memory for the queue)
     */
    public void start(long interval, int stackDepth, Listener listener) throws SamplerUnavailableException {
        Objects.requireNonNull(listener, "listener");
        int captured = stackDepth + HIDDEN_FRAME_ALLOWANCE;
        if (stackDepth < 1 || captured > NATIVE_MAX_DEPTH) {
            throw new IllegalArgumentException(
                    "stackDepth must be 1 to " + (NATIVE_MAX_DEPTH - HIDDEN_FRAME_ALLOWANCE) + ": " + stackDepth);
        }
        draining.lock();
        try {
            this.batch = new Batch(QUEUE_CAPACITY, captured, stackDepth);
            this.listener = listener;
            int status = start0(clamp(interval), QUEUE_CAPACITY, captured);
            if (status != 0) {
                stop0();
                this.listener = null;
                throw new SamplerUnavailableException("the JVM refused heap sampling: " + describe(status));
            }
        } finally {
            draining.unlock();
        }
        try {
            Thread thread = new Thread(null, this::drainUntilStopped, THREAD_NAME, 0, false);
            thread.setDaemon(true);
            drainer = thread;
            thread.start();
        } catch (Throwable noThread) { // sampling with nothing to drain it would cost the host for nothing
            stop();
            throw new SamplerUnavailableException("could not start its thread: " + noThread, noThread);
        }
    }

    /**
     * Leaves samples in the native queue while {@code condition} holds, rather than resolving their frames: the agent
     * says when the heap is too full for that (see {@code HeapHeadroom}). A sample that does not fit the queue is
     * dropped, and counted in {@link #dropped()}.
     */
    public void pauseWhile(BooleanSupplier condition) {
        paused = Objects.requireNonNull(condition, "condition");
    }

    /** Sets the mean interval for the samples to come (each thread takes it up after its next sample). */
    public void retune(long interval) {
        setInterval0(clamp(interval));
    }

    /**
     * Hands every sample queued so far to the listener, on the calling thread: what was allocated before this call
     * is in the listener's hands when it returns. The agent calls it right before each snapshot.
     */
    public void flush() {
        draining.lock();
        try {
            drainOnce();
        } finally {
            draining.unlock();
        }
    }

    /**
     * Remembers the method cache's size right before a histogram, so that the footprint reported at
     * {@link #forgetUnusedMethods()} is at most what that histogram counted: methods resolved later go unnamed until
     * the next snapshot.
     */
    public void markMethodCache() {
        draining.lock();
        try {
            methods.mark();
        } finally {
            draining.unlock();
        }
    }

    /**
     * Forgets the frames no sample used since the last call (see {@link JvmMethods#age()}); the agent calls it once
     * per snapshot.
     */
    public void forgetUnusedMethods() {
        draining.lock();
        try {
            methods.age();
        } finally {
            draining.unlock();
        }
    }

    /** The method cache's objects in the heap, as histogram rows, as of the last {@link #forgetUnusedMethods()}. */
    public List<ClassCount> ownFootprint() {
        return methods.footprint();
    }

    /** Samples the listener threw on or the queue could not hand over, since load: counted as agent errors. */
    public long failures() {
        return failures.sum();
    }

    /** Samples dropped since start because the native queue was full (more samples per drain than it holds). */
    public long dropped() {
        return dropped0();
    }

    /** Stops sampling and drops what is queued: no listener call begins after this returns. Idempotent. */
    public void stop() {
        drainer = null; // its loop ends at its next wake-up, at once: stop0 wakes it
        draining.lock();
        try {
            stop0();
            listener = null;
        } finally {
            draining.unlock();
        }
    }

    /** {@code interval} as the JVM takes it: at least 1 byte, at most {@link #MAX_INTERVAL}. */
    public static int clamp(long interval) {
        return (int) Math.max(1, Math.min(MAX_INTERVAL, interval));
    }

    private void drainUntilStopped() {
        Thread me = Thread.currentThread();
        while (drainer == me) {
            try {
                await0((int) DRAIN_MILLIS);
                if (!paused.getAsBoolean()) {
                    flush();
                }
            } catch (Throwable failure) { // our thread must outlive any one bad batch; counted as an agent error
                countFailure();
            }
        }
    }

    /**
     * Counting can fail too: the first increment under contention allocates, and on a full heap that throws. An error
     * out of the drain loop's catch ended the thread, and the JVM printed it as ours (FaultInjectionIT).
     */
    private void countFailure() {
        try {
            failures.increment();
        } catch (Throwable uncounted) {
            // the failure goes uncounted; the thread goes on
        }
    }

    /** Call with {@link #draining} held. */
    private void drainOnce() {
        Listener target = listener;
        if (target == null) {
            return;
        }
        Batch samples = batch;
        int count = drain0(
                samples.objects, samples.sizes, samples.intervals, samples.depths, samples.methods, samples.locations);
        if (count < 0) {
            countFailure();
            return;
        }
        for (int i = 0; i < count; i++) {
            Object object = samples.objects[i];
            samples.objects[i] = null; // the batch must not keep the last samples alive until the next drain
            try {
                SampledStack stack = methods.stack(
                        samples.methods,
                        samples.locations,
                        i * samples.framesPerSample,
                        samples.depths[i],
                        samples.stackDepth);
                target.sampled(object, samples.sizes[i], samples.intervals[i], stack);
            } catch (Throwable failure) { // a listener's bug costs one sample, counted
                countFailure();
            }
        }
    }

    private static void ensureLoaded(Path scratch) throws SamplerUnavailableException {
        int version;
        try {
            version = nativeVersion();
        } catch (UnsatisfiedLinkError notYetLoaded) {
            NativeLibrary.load(scratch);
            try {
                version = nativeVersion();
            } catch (UnsatisfiedLinkError e) {
                throw new SamplerUnavailableException(
                        "the native library loaded but does not match this agent: " + e.getMessage(), e);
            }
        }
        if (version != EXPECTED_NATIVE_VERSION) {
            throw new SamplerUnavailableException("native library version " + version + ", expected "
                    + EXPECTED_NATIVE_VERSION + " (an agent jar of another leakwatch version was loaded first)");
        }
    }

    static String describe(int status) {
        return switch (status) {
            case -1 -> "no JVMTI 11 environment (the heap sampler needs JDK 11 or later)";
            case -2 -> "capability can_generate_sampled_object_alloc_events not available";
            case -3 -> "no native memory for the sample queue";
            case -4 -> "bad queue size or stack depth";
            default -> "JVMTI error " + status;
        };
    }

    /** The arrays one drain fills: sized once for a full queue, so draining allocates nothing. */
    private static final class Batch {
        final int framesPerSample;
        final int stackDepth;
        final Object[] objects;
        final long[] sizes;
        final int[] intervals;
        final int[] depths;
        final long[] methods;
        final int[] locations;

        Batch(int capacity, int framesPerSample, int stackDepth) {
            this.framesPerSample = framesPerSample;
            this.stackDepth = stackDepth;
            objects = new Object[capacity];
            sizes = new long[capacity];
            intervals = new int[capacity];
            depths = new int[capacity];
            methods = new long[capacity * framesPerSample];
            locations = new int[capacity * framesPerSample];
        }
    }

    private static native int nativeVersion();

    private static native int start0(int interval, int queueCapacity, int stackDepth);

    private static native int setInterval0(int interval);

    private static native int stop0();

    private static native long dropped0();

    private static native void await0(int timeoutMillis);

    private static native int drain0(
            Object[] objects, long[] sizes, int[] intervals, int[] depths, long[] methods, int[] locations);

    private static native String[] describeMethod0(long methodId);

    private static native int[] lineTable0(long methodId);
}
