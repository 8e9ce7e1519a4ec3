package dev.leakwatch.samples.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A leak that ends the JVM: blocks go into a static list until the JVM throws {@link OutOfMemoryError} by itself, and
 * the error leaves {@code main} uncaught, so the JVM prints its stack trace and exits with status 1. It is not a
 * catalogued sample (it does not run until a duration ends, and a detection test must not run it at its default
 * heap): the fault-injection tests run it by class name with a small {@code -Xmx}.
 *
 * <p>The leak is static, as leaks are, so the heap is still full while the JVM exits: its shutdown, and an agent's
 * shutdown hook, run on a heap with next to no room. Next to no room rather than none: the filling frame also holds a
 * working buffer of {@value #WORKING_BUFFER_BYTES} bytes, freed when the error unwinds it. Without it the JVM could not
 * print the error's stack trace (it prints only "OutOfMemoryError thrown from the UncaughtExceptionHandler"), and the
 * trace is what a test reads to tell whose error it was.
 *
 * <p>It fills at a steady {@value #BYTES_PER_SECOND} bytes a second rather than as fast as it can, so that an agent
 * recording every second sees the growth over many snapshots before the heap runs out. It prints
 * {@code heap-filler: <n> MB held} once a second.
 */
public final class HeapFiller {
    static final int BLOCK_BYTES = 1_024;
    /** Slow enough for 64 MB to last over 30 s: a report needs 20 s of snapshots for a verdict. */
    static final int BYTES_PER_SECOND = 3 << 19;

    static final int WORKING_BUFFER_BYTES = 1 << 20;
    private static final long STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final int BLOCKS_PER_STEP = BYTES_PER_SECOND / BLOCK_BYTES / 100;

    /** The leak: never cleared. */
    private static final List<Block> HELD = new ArrayList<>();

    private HeapFiller() {}

    public static void main(String[] args) {
        System.out.println("heap-filler running, pid " + ProcessHandle.current().pid());
        System.out.flush();
        fill();
    }

    /** Never returns: ends with the JVM's own OutOfMemoryError, thrown here. */
    private static void fill() {
        byte[] workingBuffer = new byte[WORKING_BUFFER_BYTES];
        long nextStep = System.nanoTime();
        long nextReport = nextStep + TimeUnit.SECONDS.toNanos(1);
        for (long step = 0; ; step++) {
            for (int i = 0; i < BLOCKS_PER_STEP; i++) {
                HELD.add(new Block(new byte[BLOCK_BYTES]));
            }
            // Used at every step, so that it stays reachable until the error unwinds this frame.
            workingBuffer[(int) (step % workingBuffer.length)]++;
            if (System.nanoTime() - nextReport >= 0) {
                System.out.println("heap-filler: " + (long) HELD.size() * BLOCK_BYTES / (1 << 20) + " MB held");
                System.out.flush();
                nextReport += TimeUnit.SECONDS.toNanos(1);
            }
            nextStep += STEP_NANOS;
            long wait = nextStep - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
    }

    /** One element of the leak; the class a report should name. */
    static final class Block {
        private final byte[] payload;

        Block(byte[] payload) {
            this.payload = payload;
        }

        byte[] payload() {
            return payload;
        }
    }
}
