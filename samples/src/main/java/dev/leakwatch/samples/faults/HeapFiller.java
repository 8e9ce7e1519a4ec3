package dev.leakwatch.samples.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Fills the heap until the JVM throws {@link OutOfMemoryError} by itself, and dies of it: the error leaves
 * {@code main} uncaught, the JVM prints its stack trace and exits with status 1. It is not a catalogued sample (it
 * does not run until a duration ends, and a detection test must not run it at its default heap): the fault-injection
 * tests run it by class name with a small {@code -Xmx}.
 *
 * <p>The blocks are held by a list local to {@link #fill}, so the error unwinding that frame frees them: the JVM
 * needs some heap to print the error's stack trace (with a static list it prints only "OutOfMemoryError thrown from
 * the UncaughtExceptionHandler"), and that trace is what a test reads to tell whose error it was.
 *
 * <p>It fills at a steady {@value #BYTES_PER_SECOND} bytes a second rather than as fast as it can, so that an agent
 * recording every second sees the growth over many snapshots before the heap runs out. It prints
 * {@code heap-filler: <n> MB held} once a second.
 */
public final class HeapFiller {
  static final int BLOCK_BYTES = 1_024;
  static final int BYTES_PER_SECOND = 2 << 20;
  private static final long STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  private static final int BLOCKS_PER_STEP = BYTES_PER_SECOND / BLOCK_BYTES / 100;

  private HeapFiller() {}

  public static void main(String[] args) {
    System.out.println("heap-filler running, pid " + ProcessHandle.current().pid());
    System.out.flush();
    fill();
  }

  /** Never returns: ends with the JVM's own OutOfMemoryError, thrown here. */
  private static void fill() {
    long nextStep = System.nanoTime();
    long nextReport = nextStep + TimeUnit.SECONDS.toNanos(1);
    List<Block> held = new ArrayList<>();
    while (true) {
      for (int i = 0; i < BLOCKS_PER_STEP; i++) {
        held.add(new Block(new byte[BLOCK_BYTES]));
      }
      if (System.nanoTime() - nextReport >= 0) {
        System.out.println("heap-filler: " + (long) held.size() * BLOCK_BYTES / (1 << 20) + " MB held");
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
