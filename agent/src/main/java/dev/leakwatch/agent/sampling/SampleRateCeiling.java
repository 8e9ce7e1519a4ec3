package dev.leakwatch.agent.sampling;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Keeps the sampled allocations under a ceiling of samples per second whatever the allocation rate, by stretching the
 * hook's sampling interval in powers of two, and tells each sample how much more it weighs for it.
 *
 * <p><b>Why.</b> A sample costs 10 to 60 µs (a stack walk, a path lookup, a weak reference). Sampling one allocation
 * in 4096 gave about 1,500 samples/s on the allocation-heavy benchmark, and the sampled path alone cost about 8% CPU;
 * twice the allocation rate would cost twice that. JFR bounds the same cost by throttling ObjectAllocationSample to
 * a number of events per second.
 *
 * <p><b>How.</b> The interval is always {@code base × 2^k}, {@code k} from 0 to {@value #MAX_EXPONENT}. The rate is
 * measured in windows of about a second ({@value #WINDOW_NANOS} ns). A window closes at its first sample past that
 * second, or at once when its samples reach the ceiling: a burst gets at most about one window's worth of samples
 * through before the interval is raised. A window that closes early measures the rate over its second half of samples
 * when that is at least twice the rate over the whole window: a burst that starts in the middle of a calm window would
 * otherwise be diluted by the calm part, raise the interval too little and get a second window through. Otherwise it
 * takes the whole window, whose estimate is less noisy. At each close the interval changes by the power of two that
 * moves the observed rate into the middle of the band in which it neither raises nor lowers (between a quarter of the
 * ceiling and the ceiling): a rate at least the ceiling raises it, a rate under a quarter lowers it, several steps at
 * once when the rate calls for it. The band is a factor of four wide and a change lands the rate within a factor of √2
 * of its geometric middle, so the noise on a steady rate (about 6% for 300 samples) does not move the interval back and
 * forth. Windows close only when a sample arrives, so a long silence counts as a low rate and brings the interval back
 * towards the base with the next sample.
 *
 * <p><b>Unbiased estimates.</b> While the interval is {@code base × 2^k}, a sample stands for {@code 2^k} times as
 * many allocations as at the base interval: {@link #onSample} returns that multiplier, the tracker multiplies the
 * sample's weight by it, and the estimates keep scaling by the base interval. One caveat: the hook's stripes take a new
 * interval up at their next sample ({@code AllocationHook.retune}), so right after a change the sample each active
 * stripe still had pending was drawn with the old interval yet weighs with the new one. That is one mis-weighted
 * sample per active stripe per change, against a ceiling's worth of samples per window, and changes are rare at a
 * steady rate ({@code SampleRateCeilingTest} simulates such a hook and finds no bias beyond the noise).
 *
 * <p><b>Threads.</b> Called on every allocating thread, at most about the ceiling's number of times per second in all.
 * Lock-free: one atomic increment per sample, and a compare-and-set to replace the window when it closes. A few
 * samples may count in a window another thread has just closed, which only lets them through. The thread whose
 * compare-and-set changed the interval applies it, then checks that no newer window replaced its own meanwhile and
 * applies that one's otherwise, so two changes applied out of order cannot leave the hook on a stale interval.
 *
 * <p>It starts at the base interval, the one the hook was installed with. Make a new one each time the hook is
 * installed: {@code AllocationHook.install} sets the base interval again.
 */
public final class SampleRateCeiling {
    /** Length of a measuring window: long enough for a few hundred samples at the default ceiling. */
    static final long WINDOW_NANOS = 1_000_000_000L;
    /** The interval is never stretched beyond base × 2^20: multipliers fit an int with room to spare. */
    static final int MAX_EXPONENT = 20;
    /**
     * Headroom left above the largest interval for the hook, which caps its draws at 64 means: 2^7 keeps
     * {@code 64 × base × 2^k} a positive long.
     */
    private static final int HEADROOM_BITS = 7;

    private static final double SQRT_2 = Math.sqrt(2);
    /** How much faster the second half of a window must be than the whole to be measured on its own. */
    private static final double BURST_FACTOR = 2;

    private final long baseInterval;
    private final int maxSamplesPerSecond;
    private final int halfCeiling;
    private final int maxExponent;
    private final LongSupplier nanoClock;
    private final LongConsumer applyInterval;
    private final AtomicReference<Window> window;
    private final LongAdder retunes = new LongAdder();

    /**
     * @param baseInterval        the sampling interval the hook was installed with (the {@code sampling} option)
     * @param maxSamplesPerSecond the ceiling; 0 for none (every sample weighs 1 and the interval never changes)
     * @param nanoClock           monotonic nanoseconds; the agent passes {@code System::nanoTime}
     * @param applyInterval       sets the hook's mean interval; the agent passes {@code AllocationHook::retune}
     */
    public SampleRateCeiling(
            long baseInterval, int maxSamplesPerSecond, LongSupplier nanoClock, LongConsumer applyInterval) {
        if (baseInterval < 1) {
            throw new IllegalArgumentException("baseInterval must be at least 1: " + baseInterval);
        }
        if (maxSamplesPerSecond < 0) {
            throw new IllegalArgumentException("maxSamplesPerSecond must not be negative: " + maxSamplesPerSecond);
        }
        this.baseInterval = baseInterval;
        this.maxSamplesPerSecond = maxSamplesPerSecond;
        this.halfCeiling = maxSamplesPerSecond / 2;
        this.maxExponent = Math.max(0, Math.min(MAX_EXPONENT, Long.numberOfLeadingZeros(baseInterval) - HEADROOM_BITS));
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.applyInterval = Objects.requireNonNull(applyInterval, "applyInterval");
        this.window = new AtomicReference<>(new Window(maxSamplesPerSecond == 0 ? 0 : nanoClock.getAsLong(), 0));
    }

    /**
     * Counts one sampled allocation; call it on the allocating thread before recording the sample. May change the
     * hook's interval for the samples to come.
     *
     * @return the sample's weight multiplier: the interval it was sampled at divided by the base interval, a power
     *         of two (always 1 without a ceiling)
     */
    public int onSample() {
        if (maxSamplesPerSecond == 0) {
            return 1;
        }
        Window current = window.get();
        int samples = current.samples.incrementAndGet();
        long elapsed = Math.max(0, nanoClock.getAsLong() - current.startNanos);
        if (elapsed >= WINDOW_NANOS) {
            close(current, elapsed, samples * 1e9 / elapsed);
        } else if (samples >= maxSamplesPerSecond) {
            close(current, elapsed, earlyCloseRate(current, samples, elapsed));
        } else if (samples == halfCeiling) {
            current.halfwayElapsed = elapsed;
        }
        // The interval in force while this sample was drawn, not the one it may just have caused.
        return 1 << current.exponent;
    }

    /** The weight multiplier of samples taken now: {@link #interval()} divided by the base interval. */
    public int multiplier() {
        return 1 << window.get().exponent;
    }

    /** The sampling interval in force now. */
    public long interval() {
        return baseInterval << window.get().exponent;
    }

    public long baseInterval() {
        return baseInterval;
    }

    /** The ceiling in samples per second; 0 when there is none. */
    public int maxSamplesPerSecond() {
        return maxSamplesPerSecond;
    }

    /** How many times the interval was changed, up or down. */
    public long retunes() {
        return retunes.sum();
    }

    /** Samples per second over the whole window or, in a burst, over its second half. */
    private double earlyCloseRate(Window closing, int samples, long elapsed) {
        double rate = samples * 1e9 / Math.max(1, elapsed);
        long halfway = closing.halfwayElapsed;
        if (halfway < 0 || halfCeiling < 1) {
            return rate; // not recorded yet by the thread that counted the halfway sample, or a ceiling of 1
        }
        double recent = (samples - halfCeiling) * 1e9 / Math.max(1, elapsed - halfway);
        return recent >= BURST_FACTOR * rate ? recent : rate;
    }

    private void close(Window closing, long elapsed, double rate) {
        Window next = new Window(closing.startNanos + elapsed, nextExponent(closing.exponent, rate));
        if (!window.compareAndSet(closing, next)) {
            return; // another thread closed it first and decided
        }
        if (next.exponent != closing.exponent) {
            retunes.increment();
            Window applied;
            do {
                applied = window.get();
                applyInterval.accept(baseInterval << applied.exponent);
            } while (window.get() != applied);
        }
    }

    /**
     * The exponent that brings the observed rate into [ceiling / (2√2), ceiling / √2), clamped to the allowed
     * range; unchanged while the rate stays within [ceiling / 4, ceiling).
     */
    private int nextExponent(int exponent, double rate) {
        if (rate < maxSamplesPerSecond && rate >= maxSamplesPerSecond / 4.0) {
            return exponent;
        }
        // The smallest step s with rate / 2^s below ceiling / √2: at least 1 when raising, at most -1 when lowering.
        int step = Math.getExponent(rate * SQRT_2 / maxSamplesPerSecond) + 1;
        return (int) Math.max(0, Math.min(maxExponent, (long) exponent + step));
    }

    /** One measuring window: when it started, the exponent in force, and the samples counted so far. */
    private static final class Window {
        final long startNanos;
        final int exponent;
        final AtomicInteger samples = new AtomicInteger();
        /** Nanoseconds from the start to the sample that reached half the ceiling; -1 until then. */
        volatile long halfwayElapsed = -1;

        Window(long startNanos, int exponent) {
            this.startNanos = startNanos;
            this.exponent = exponent;
        }
    }
}
