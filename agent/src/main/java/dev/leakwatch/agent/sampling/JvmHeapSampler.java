package dev.leakwatch.agent.sampling;

import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * The JVM's own heap sampler (JVMTI {@code SampledObjectAlloc}, JDK 11+), handing each sampled object to a
 * {@link Listener} on the allocating thread: one sample per {@code interval} bytes allocated on average, every class,
 * no bytecode changed.
 *
 * <p><b>Why.</b> Bytecode hooks at every allocation site cost an allocation-heavy workload about 10% even when nothing
 * is sampled: the instrumented code itself is slower (escape analysis defeated by the hook's argument, inlining
 * budgets spent on the hook). The JVM's sampler costs the allocation path nothing: it shortens the thread's TLAB so
 * that only the allocation crossing the next sample point takes the slow path (README, "Allocation tracking
 * overhead").
 *
 * <p><b>Sampling.</b> Sample points are drawn by the JVM at exponentially distributed byte distances with mean
 * {@code interval}, so an object of {@code size} bytes is sampled with probability {@code 1 - exp(-size/interval)}
 * ({@link SampleWeight}). The interval is global to the JVM, shared with any other agent that uses the sampler.
 *
 * <p><b>Safety.</b> The native callback drops samples while the thread is delivering one (what the listener allocates
 * is not sampled back into it) and while an exception is pending on the thread, and clears anything the listener
 * throws. Stopping disables the event and clears the relay's target; a callback already under way finds no target.
 */
public final class JvmHeapSampler {
    /** The largest interval the JVM takes ({@code jint}); longer ones are clamped to it. */
    public static final long MAX_INTERVAL = Integer.MAX_VALUE;
    /** The native library this class was written against ({@code LW_NATIVE_VERSION}). */
    private static final int EXPECTED_NATIVE_VERSION = 1;

    /** Where samples go. Called on the allocating thread; must not throw (anything it throws is dropped). */
    @FunctionalInterface
    public interface Listener {
        void sampled(Object object, long size);
    }

    private final Relay relay = new Relay();

    private JvmHeapSampler() {
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
     * Starts sampling every {@code interval} bytes on average, delivering to {@code listener}.
     *
     * @throws SamplerUnavailableException with a one-line reason when the JVM refuses (no JVMTI 11, or the
     *                                     capability is not available)
     */
    public void start(long interval, Listener listener) throws SamplerUnavailableException {
        relay.target = Objects.requireNonNull(listener, "listener");
        int status = start0(relay, clamp(interval));
        if (status != 0) {
            stop();
            throw new SamplerUnavailableException("the JVM refused heap sampling: " + describe(status));
        }
    }

    /** Sets the mean interval for the samples to come (each thread takes it up after its next sample). */
    public void retune(long interval) {
        setInterval0(clamp(interval));
    }

    /** Samples the listener threw on, since load: dropped, and counted as the agent's survived errors. */
    public long failures() {
        return relay.failures.sum();
    }

    /** Stops delivering samples. Safe to call more than once. */
    public void stop() {
        relay.target = null;
        stop0();
    }

    /** {@code interval} as the JVM takes it: at least 1 byte, at most {@link #MAX_INTERVAL}. */
    public static int clamp(long interval) {
        return (int) Math.max(1, Math.min(MAX_INTERVAL, interval));
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
                throw new SamplerUnavailableException("the native library loaded but does not match this agent: "
                        + e.getMessage(), e);
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
            case -3 -> "receiver method not found";
            case -4 -> "out of JNI global references";
            default -> "JVMTI error " + status;
        };
    }

    private static native int nativeVersion();

    private static native int start0(Relay relay, int interval);

    private static native int setInterval0(int interval);

    private static native int stop0();

    /** What the native callback calls ({@code onSample}, by name): the listener, until stopped. */
    static final class Relay {
        volatile Listener target;
        final LongAdder failures = new LongAdder();

        void onSample(Object object, long size) {
            Listener listener = target;
            if (listener != null) {
                try {
                    listener.sampled(object, size);
                } catch (Throwable failure) { // the host must never see one; counted as an agent error
                    failures.increment();
                }
            }
        }
    }
}
