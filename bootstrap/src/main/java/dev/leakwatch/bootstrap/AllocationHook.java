package dev.leakwatch.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The call that instrumented code makes right after it created an object or an array: {@code allocated(object,
 * siteId)}, where the site id is a constant the instrumentation chose for that bytecode instruction.
 *
 * <p><b>Why static state.</b> This class is the bootstrap entry of instrumented code: a {@code new} in
 * {@code java.util.HashMap} and one in the application both compile to an {@code invokestatic} of
 * {@link #allocated}, with nothing else on the stack but the object and the site id. There is no instance to hand
 * them, so the installed recorder, the sampling state and the counters are static. The agent owns their lifecycle
 * through {@link #install} and {@link #uninstall}. It lives on the bootstrap class path (the agent appends it there)
 * so that classes of every class loader, the JDK's included, resolve the same class.
 *
 * <p><b>The hot path</b> is a counter and a branch: the calling thread picks one of {@value #STRIPES} countdowns by
 * its thread id (see {@link #stripe}; each countdown on its own cache line, against false sharing), decrements it and returns while
 * it is above zero. No allocation, no lock, no {@code ThreadLocal}, no volatile write. Threads that share a stripe
 * decrement it racily: a lost decrement only stretches that stripe's current interval by one allocation, which the
 * sampling statistics tolerate; making it atomic would put a locked instruction on every allocation. With no
 * recorder installed every countdown is {@link Long#MAX_VALUE}, so the same path never reaches the branch's slow side.
 *
 * <p><b>The slow path</b>, taken once per sampling interval on average: the countdown is re-armed with a random,
 * geometrically distributed interval of the configured mean (a fixed interval would alias with periodic allocation
 * patterns, for example always sampling the same element of a loop that allocates three objects per round); then,
 * under a per-thread reentrancy guard reset in {@code finally}, the recorder is called. Allocations the recorder
 * makes itself (through instrumented JDK collections, say) reach this hook again and are not recorded. A
 * {@link Throwable} the recorder throws is counted in {@link #failures()} and never reaches the application.
 *
 * <p><b>Changing the mean.</b> {@link #retune} replaces the mean of future draws without touching the countdowns:
 * writing 64 countdowns that other threads decrement without synchronization would race with them, and a countdown
 * drawn with the old mean is still a valid geometric draw. Each stripe takes the new mean up when it next samples.
 */
public final class AllocationHook {
    /** Countdowns, a power of two. More stripes than cores keeps unrelated threads from sharing one. */
    static final int STRIPES = 64;
    /**
     * 16 longs (128 bytes) per stripe: a stripe's countdown and its random state never share a 64-byte cache line,
     * nor the adjacent-line prefetch pair, with another stripe's. Slot 0 of a stripe is its countdown, slot 1 its
     * random generator's state.
     */
    private static final int STRIPE_SHIFT = 4;
    /** One stripe's worth of padding in front of the first, away from the array header and its neighbours. */
    private static final int BASE = 1 << STRIPE_SHIFT;

    private static final long[] STATE = new long[BASE + (STRIPES << STRIPE_SHIFT) + BASE];
    /** {@code Thread.tid}, or null: see {@link #stripe}. */
    private static final VarHandle THREAD_ID = threadIdField();

    /** Intervals are capped so that a tiny uniform draw cannot switch a stripe off for good. */
    private static final double MAX_INTERVAL_IN_MEANS = 64;

    private static volatile AllocationRecorder recorder;
    /** One volatile for the mean and the constants derived from it, so that a draw never mixes two means. */
    private static volatile Mean mean = new Mean(1);

    private static final AtomicLong RECORDED = new AtomicLong();
    private static final AtomicLong FAILURES = new AtomicLong();
    private static final AtomicLong REENTRANT = new AtomicLong();

    /**
     * Per-thread "inside the recorder" flag; read on the slow path only. An anonymous subclass rather than
     * {@code ThreadLocal.withInitial(...)}: a lambda in a bootstrap class would spin a hidden class through
     * {@code java.lang.invoke} from inside whatever JDK method first allocated.
     */
    private static final ThreadLocal<boolean[]> IN_RECORDER = new ThreadLocal<>() {
        @Override
        protected boolean[] initialValue() {
            return new boolean[1];
        }
    };

    static {
        disarm();
        long seed = System.nanoTime();
        for (int stripe = 0; stripe < STRIPES; stripe++) {
            seed += 0x9E3779B97F4A7C15L;
            STATE[slot(stripe) + 1] = mix(seed) | 1;
        }
        // Links stripe()'s VarHandle call site now, while the agent installs the hook and nothing is instrumented
        // yet: linking it from the first instrumented allocation allocates in instrumented JDK code, which calls
        // the hook, which links again, until the stack overflows (seen).
        stripe(Thread.currentThread());
    }

    private AllocationHook() {}

    /**
     * Called by instrumented code right after an allocation: for {@code new}, after the constructor returned; for
     * arrays, right after the array instruction. Never throws.
     *
     * @param object the new object or array
     * @param siteId the allocation site's id
     */
    public static void allocated(Object object, int siteId) {
        int slot = slot(stripe(Thread.currentThread()));
        long[] state = STATE;
        if (--state[slot] > 0) {
            return;
        }
        sample(object, siteId, slot);
    }

    /**
     * Starts sampling into {@code recorder}: on average one allocation in {@code meanInterval} (per thread stripe)
     * is passed to it. Replaces a recorder installed before.
     *
     * @param meanInterval mean number of allocations between two samples, at least 1 (1 records every allocation)
     */
    public static synchronized void install(AllocationRecorder recorder, long meanInterval) {
        if (recorder == null) {
            throw new NullPointerException("recorder");
        }
        if (meanInterval < 1) {
            throw new IllegalArgumentException("meanInterval must be at least 1: " + meanInterval);
        }
        mean = new Mean(meanInterval);
        AllocationHook.recorder = recorder;
        for (int stripe = 0; stripe < STRIPES; stripe++) {
            int slot = slot(stripe);
            STATE[slot] = nextInterval(slot);
        }
    }

    /**
     * Stops sampling: the hot path goes back to never leaving its counter. A call already past its recorder read on
     * another thread may still complete into the old recorder.
     */
    public static synchronized void uninstall() {
        recorder = null;
        disarm();
    }

    /** Whether a recorder is installed. */
    public static boolean isInstalled() {
        return recorder != null;
    }

    /**
     * Changes the mean of the geometric draws from now on, for example to keep the recorder's calls under a rate
     * ceiling. The countdowns in progress are left alone: each stripe draws with the new mean from its next sample
     * on, so a stripe keeps sampling at the old rate for one more interval (one old mean on average) and an idle
     * thread's stripe possibly for much longer. {@link #install} sets the mean again.
     *
     * <p>Lock-free (one volatile write) and safe from any thread at any time, inside the recorder included. Between
     * concurrent calls the last write wins; calls racing with {@link #install} or {@link #uninstall} may leave the
     * mean of either, so the caller that retunes should be the one that installed.
     *
     * @param meanInterval mean number of allocations between two samples, at least 1
     */
    public static void retune(long meanInterval) {
        if (meanInterval < 1) {
            throw new IllegalArgumentException("meanInterval must be at least 1: " + meanInterval);
        }
        mean = new Mean(meanInterval);
    }

    /** The current mean sampling interval: the last one installed or retuned to (1 when none ever was). */
    public static long meanInterval() {
        return mean.interval;
    }

    /** Allocations passed to a recorder since this class was loaded. */
    public static long recorded() {
        return RECORDED.get();
    }

    /** Recorder calls that threw; the throwables were swallowed. */
    public static long failures() {
        return FAILURES.get();
    }

    /** Samples dropped because the thread was already inside the recorder. */
    public static long reentrantSkips() {
        return REENTRANT.get();
    }

    private static void sample(Object object, int siteId, int slot) {
        try {
            AllocationRecorder current = recorder;
            if (current == null) {
                // Uninstalled while this stripe was counting down (racy decrements can survive uninstall()).
                STATE[slot] = Long.MAX_VALUE;
                return;
            }
            // Re-arm first, so that the recorder's own allocations count down a fresh interval.
            STATE[slot] = nextInterval(slot);
            boolean[] inRecorder = IN_RECORDER.get();
            if (inRecorder[0]) {
                REENTRANT.incrementAndGet();
                return;
            }
            inRecorder[0] = true;
            try {
                current.record(object, siteId);
                RECORDED.incrementAndGet();
            } finally {
                inRecorder[0] = false;
            }
        } catch (Throwable t) {
            // Nothing may reach the application from here, not even an Error: the allocation itself succeeded.
            FAILURES.incrementAndGet();
        }
    }

    /** A geometric draw with the current mean: the number of allocations up to and including the next sample. */
    private static long nextInterval(int slot) {
        Mean current = mean;
        double logMiss = current.logOfMiss;
        if (logMiss == 0) {
            return 1;
        }
        long x = STATE[slot + 1];
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        STATE[slot + 1] = x;
        // Uniform in (0, 1]: never 0, so the logarithm stays finite.
        double uniform = ((x >>> 11) + 1) * 0x1.0p-53;
        double interval = Math.floor(Math.log(uniform) / logMiss) + 1;
        return interval >= current.cap ? (long) current.cap : (long) interval;
    }

    private static void disarm() {
        for (int stripe = 0; stripe < STRIPES; stripe++) {
            STATE[slot(stripe)] = Long.MAX_VALUE;
        }
    }

    /**
     * The thread's id, read from its private {@code tid} field, not through {@code getId()}: a {@code Thread} subclass
     * may override {@code getId()} (it is not final on Java 17), and no application code may run on the hot path.
     * The field read compiles to one load, where the identity hash costs a header check and a slow-path stub at every
     * inlined allocation site: 0.5 to 1.2 ns less per allocation in a loop of small arrays
     * ({@code bench/HookStriping.java}), and less compiled code. Reading the field needs {@code java.lang} opened to
     * this class's module, which the agent does before this class is initialized; without it (a test, another JVM)
     * the identity hash serves. Ids are consecutive, so threads spread evenly over the stripes.
     */
    private static int stripe(Thread thread) {
        VarHandle tid = THREAD_ID;
        int h = tid != null ? (int) (long) tid.get(thread) : System.identityHashCode(thread);
        return (h ^ (h >>> 16)) & (STRIPES - 1);
    }

    /** Whether threads are striped by their id (see {@link #stripe}) rather than by their identity hash. */
    public static boolean stripesByThreadId() {
        return THREAD_ID != null;
    }

    private static VarHandle threadIdField() {
        try {
            return MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup())
                    .findVarHandle(Thread.class, "tid", long.class);
        } catch (Throwable notOpenOrNotThere) {
            return null;
        }
    }

    private static int slot(int stripe) {
        return BASE + (stripe << STRIPE_SHIFT);
    }

    /** A mean interval with the constants of its geometric draw, immutable. */
    private static final class Mean {
        final long interval;
        /** ln(1 - 1/mean); 0 when the mean is 1 (every allocation is sampled). */
        final double logOfMiss;

        final double cap;

        Mean(long interval) {
            this.interval = interval;
            this.logOfMiss = interval == 1 ? 0 : Math.log1p(-1.0 / interval);
            this.cap = MAX_INTERVAL_IN_MEANS * interval;
        }
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
