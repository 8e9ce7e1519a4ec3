package dev.leakwatch.agent.sampling;

import java.util.concurrent.ThreadLocalRandom;

/**
 * How many allocated objects one sample of the JVM's byte-based heap sampler stands for.
 *
 * <p>The JVM draws its sample points at exponentially distributed byte distances with mean {@code interval} (a Poisson
 * process over the bytes allocated), and samples the object that crosses one. An object of {@code size} bytes is
 * therefore sampled with probability {@code p = 1 - exp(-size / interval)}, and weighing each sample by {@code 1/p}
 * makes every count and byte estimate unbiased (the Horvitz-Thompson estimator; Go's and tcmalloc's heap profiles
 * scale their samples the same way). Small objects weigh about {@code interval / size}; objects much larger than the
 * interval, about 1.
 *
 * <p>One caveat, HotSpot's own: after a sample it subtracts the sampled allocation's overshoot from the next distance
 * only when that distance is longer ({@code ThreadHeapSampler::pick_next_sample}), so the distance after an object
 * near or above the interval comes short, and what is allocated right after such objects is sampled a little more
 * often than {@code p} says. Where objects stay well below the interval the estimates hold (a simulation with objects
 * up to 8 KiB and a 128 KiB interval: within 5%); where 4 MiB arrays made 89% of the bytes, small objects' counts came
 * out about 20% high ({@code SampleWeightTest}).
 *
 * <p>The tracker keeps whole-number weights: {@code 1/p} is rounded down or up at random, in proportion to its
 * fraction, which keeps the expectation exact.
 */
public final class SampleWeight {
    private SampleWeight() {}

    /** {@code 1 / (1 - exp(-size / interval))}: the expected number of objects one sample of this size stands for. */
    public static double objectsPerSample(long size, long interval) {
        if (size <= 0) {
            return 1;
        }
        // expm1 keeps the precision for sizes far below the interval, where 1 - exp(x) would cancel.
        return -1 / Math.expm1(-(double) size / Math.max(1, interval));
    }

    /** {@link #objectsPerSample} rounded to a whole number at random, without bias; at least 1. */
    public static int draw(long size, long interval) {
        return round(
                objectsPerSample(size, interval), ThreadLocalRandom.current().nextDouble());
    }

    /** Rounds {@code weight} up with probability equal to its fraction, given a uniform draw in [0, 1). */
    static int round(double weight, double uniform) {
        if (weight >= Integer.MAX_VALUE) {
            return Integer.MAX_VALUE;
        }
        double floor = Math.floor(weight);
        int rounded = (int) floor + (uniform < weight - floor ? 1 : 0);
        return Math.max(1, rounded);
    }
}
