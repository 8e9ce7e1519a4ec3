package dev.leakwatch.samples;

/**
 * One sample application: the request loop calls {@link #handleRequest} at {@link #requestsPerSecond()} from a single
 * thread until the run ends, then calls {@link #close()}.
 *
 * <p>Implementations have a public no-argument constructor that does the start-up work (a resident data set, a thread
 * pool); the "running" line is printed only after it returns, so a test that waits for that line sees a started
 * program.
 */
public interface SampleProgram extends AutoCloseable {

    /** The steady rate the loop drives this program at; leak rates are sized against it. */
    int requestsPerSecond();

    /** Handles one simulated request. {@code requestId} counts up from 0. */
    void handleRequest(long requestId);

    /** Releases threads the program started. The default has none. */
    @Override
    default void close() {}
}
