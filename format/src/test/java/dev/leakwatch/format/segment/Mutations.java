package dev.leakwatch.format.segment;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Damage as disks, copies and crashes do it, applied to real input at random: one changed, inserted or lost byte, a
 * cut, a piece lost or repeated, a record spliced in from elsewhere. Each mutation says what it did, so a failure
 * can be reproduced from the seed and read. Shared by the fuzz tests of every reader, hence public.
 */
public final class Mutations {
    /**
     * The fuzz tests' seed: fixed, so that a CI run is repeatable, and printed by each test; another with
     * {@code -Dleakwatch.fuzz.seed=N}.
     */
    public static final long SEED = Long.getLong("leakwatch.fuzz.seed", 20261205L);
    /** How many inputs the fuzz tests try together per run ({@code -Dleakwatch.fuzz.inputs=N}). */
    public static final int INPUTS = Integer.getInteger("leakwatch.fuzz.inputs", 100_000);

    /** One mutated input and what was done to it. */
    public record Mutant(byte[] bytes, String description, boolean singleByte, int cutAt) {}

    private final SplittableRandom random;

    /** CPU time of the calling thread: the fuzz tests report it next to wall time, which a busy machine stretches. */
    public static long cpuNanos() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    public Mutations(SplittableRandom random) {
        this.random = random;
    }

    /** Any mutation, single-byte ones half of the time. */
    public Mutant any(byte[] base, List<byte[]> spliceable) {
        return random.nextBoolean() ? singleByte(base) : larger(base, spliceable);
    }

    public Mutant singleByte(byte[] base) {
        int at = random.nextInt(base.length);
        return switch (random.nextInt(4)) {
            case 0 -> {
                byte[] bytes = base.clone();
                int bit = random.nextInt(8);
                bytes[at] ^= (byte) (1 << bit);
                yield new Mutant(bytes, "bit " + bit + " flipped at " + at, true, -1);
            }
            case 1 -> {
                byte[] bytes = base.clone();
                bytes[at] = (byte) (bytes[at] + 1 + random.nextInt(255));
                yield new Mutant(bytes, "byte changed at " + at, true, -1);
            }
            case 2 ->
                new Mutant(
                        splice(base, at, at, new byte[] {(byte) random.nextInt(256)}),
                        "byte inserted at " + at,
                        true,
                        -1);
            default -> new Mutant(splice(base, at, at + 1, new byte[0]), "byte deleted at " + at, true, -1);
        };
    }

    public Mutant larger(byte[] base, List<byte[]> spliceable) {
        int at = random.nextInt(base.length + 1);
        int length = 1 + random.nextInt(Math.max(1, base.length / 4));
        int end = Math.min(base.length, at + length);
        return switch (random.nextInt(6)) {
            case 0 -> new Mutant(Arrays.copyOf(base, at), "cut at " + at, false, at);
            case 1 ->
                new Mutant(splice(base, at, end, new byte[0]), "bytes " + at + " to " + end + " deleted", false, -1);
            case 2 ->
                new Mutant(
                        splice(base, at, at, Arrays.copyOfRange(base, at, end)),
                        "bytes " + at + " to " + end + " repeated",
                        false,
                        -1);
            case 3 -> {
                byte[] junk = new byte[end - at];
                random.nextBytes(junk);
                yield new Mutant(splice(base, at, end, junk), "bytes " + at + " to " + end + " overwritten", false, -1);
            }
            case 4 -> {
                byte[] piece = spliceable.get(random.nextInt(spliceable.size()));
                yield new Mutant(
                        splice(base, at, at, piece),
                        "a record of " + piece.length + " bytes spliced in at " + at,
                        false,
                        -1);
            }
            default -> {
                byte[] bytes = base.clone();
                int flips = 2 + random.nextInt(30);
                for (int i = 0; i < flips; i++) {
                    bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                }
                yield new Mutant(bytes, flips + " bits flipped", false, -1);
            }
        };
    }

    public static byte[] splice(byte[] base, int from, int to, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(base.length + insert.length);
        out.write(base, 0, from);
        out.write(insert, 0, insert.length);
        out.write(base, to, base.length - to);
        return out.toByteArray();
    }
}
