import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Locale;

/**
 * What the allocation hook's fast path pays to pick its countdown, per allocation: a loop of small arrays, each
 * followed by the hook's striped countdown (a copy of {@code AllocationHook}'s hot path), with the stripe chosen by
 * the thread's identity hash or by its {@code tid} field, against the bare loop.
 *
 * <pre>
 *   java --add-opens java.base/java.lang=ALL-UNNAMED bench/HookStriping.java
 * </pre>
 *
 * Not part of the test suite: the figures depend on the machine and the JIT; compare the rows of one run.
 */
public final class HookStriping {
    private static final int STRIPES = 64;
    private static final long[] STATE = new long[16 + (STRIPES << 4) + 16];
    private static final VarHandle TID = tid();
    private static long sampled;
    private static Object sink;

    public static void main(String[] args) {
        Arrays.fill(STATE, 4096);
        int n = 50_000_000;
        String[] modes = {"no hook", "identity hash", "Thread.tid"};
        for (int round = 0; round < 5; round++) {
            for (int mode = 0; mode < modes.length; mode++) {
                long nanos = run(mode, n);
                if (round >= 2) {
                    System.out.printf(Locale.ROOT, "round %d %-14s %.2f ns per allocation%n", round, modes[mode],
                            nanos / (double) n);
                }
            }
        }
    }

    private static long run(int mode, int n) {
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Object[] allocated = new Object[2];
            allocated[0] = allocated;
            if (mode == 1) {
                hook(allocated, identityStripe(Thread.currentThread()));
            } else if (mode == 2) {
                hook(allocated, tidStripe(Thread.currentThread()));
            }
            if ((i & 1023) == 0) {
                sink = allocated;
            }
        }
        return System.nanoTime() - start;
    }

    private static void hook(Object allocated, int stripe) {
        int slot = 16 + (stripe << 4);
        if (--STATE[slot] > 0) {
            return;
        }
        STATE[slot] = 4096;
        sampled++;
        if (sampled < 0) {
            sink = allocated;
        }
    }

    private static int identityStripe(Thread thread) {
        int h = System.identityHashCode(thread);
        return (h ^ (h >>> 16)) & (STRIPES - 1);
    }

    private static int tidStripe(Thread thread) {
        int h = (int) (long) TID.get(thread);
        return (h ^ (h >>> 16)) & (STRIPES - 1);
    }

    private static VarHandle tid() {
        try {
            return MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup())
                    .findVarHandle(Thread.class, "tid", long.class);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("run with --add-opens java.base/java.lang=ALL-UNNAMED", e);
        }
    }
}
