package dev.leakwatch.samples;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * Drives a program at a steady rate: a batch of requests every {@link #BATCH_INTERVAL_NANOS}, paced against absolute
 * deadlines so the rate does not drift with the time the requests themselves take.
 */
final class RequestLoop {

    private static final long BATCH_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long BATCHES_PER_SECOND = TimeUnit.SECONDS.toNanos(1) / BATCH_INTERVAL_NANOS;

    /**
     * How far behind schedule the loop may fall (a long GC pause, a stopped JVM) before it forgets the missed batches;
     * catching up on all of them would be a burst that the detector would see as a change in allocation rate.
     */
    private static final long MAX_BACKLOG_NANOS = TimeUnit.SECONDS.toNanos(1);

    /**
     * How often the loop reports the requests it handled. Reported from the loop's own thread, so a test sees the
     * program's work go on (while the agent's disk is full, say), not only that its process is alive.
     */
    static final long HEARTBEAT_NANOS = TimeUnit.SECONDS.toNanos(1);

    private RequestLoop() {}

    /**
     * Runs until {@code duration} has elapsed, or forever when it is {@code null}, calling {@code heartbeat} with the
     * number of requests handled so far about every {@link #HEARTBEAT_NANOS}.
     */
    static void run(SampleProgram program, Duration duration, LongConsumer heartbeat) {
        long rate = program.requestsPerSecond();
        long start = System.nanoTime();
        long nextBatch = start;
        long nextHeartbeat = start + HEARTBEAT_NANOS;
        long batches = 0;
        long requestId = 0;
        while (duration == null || System.nanoTime() - start < duration.toNanos()) {
            if (System.nanoTime() - nextHeartbeat >= 0) {
                heartbeat.accept(requestId);
                nextHeartbeat += HEARTBEAT_NANOS;
            }
            // Counting from the total keeps rates that are not a multiple of the batch count exact.
            long due = ++batches * rate / BATCHES_PER_SECOND;
            while (requestId < due) {
                program.handleRequest(requestId++);
            }
            nextBatch += BATCH_INTERVAL_NANOS;
            long wait = nextBatch - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            } else if (-wait > MAX_BACKLOG_NANOS) {
                nextBatch = System.nanoTime();
            }
        }
    }
}
