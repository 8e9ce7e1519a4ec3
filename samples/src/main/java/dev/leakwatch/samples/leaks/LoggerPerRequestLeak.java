package dev.leakwatch.samples.leaks;

import dev.leakwatch.samples.RequestWork;
import dev.leakwatch.samples.SampleProgram;
import java.util.logging.Logger;

/**
 * A logger per request: {@code Logger.getLogger("request-" + id)}, a common way to tag log lines that looks harmless
 * because the JDK holds loggers weakly. It does not hold their names weakly: {@code LogManager} keeps a
 * {@code LogManager$LogNode} per name in its tree for good, with the name's {@code String} and {@code byte[]} and the
 * {@code HashMap$Node} of its parent's children map, after the {@code Logger} itself has been collected (JDK 17:
 * {@code LoggerWeakRef.dispose} clears the node's reference to its logger, not the node).
 *
 * <p>No class of the application grows: the suspect has to be named after the JDK class that keeps the data, not after
 * the strings (issue 13, where this leak was named {@code java.lang.String}).
 *
 * <p>Rate: one logger name in {@link #REQUESTS_PER_LOGGER} requests at {@link #REQUESTS_PER_SECOND} is 6,000 names a
 * minute, as in issue 13; each keeps about 130 bytes (LogNode 32, map entry 32 with its share of the table, String 24,
 * byte[] about 40, from live class histograms on JDK 17), so the live heap grows by about 0.8 MB a minute.
 */
public final class LoggerPerRequestLeak implements SampleProgram {

    private static final int REQUESTS_PER_SECOND = 1_000;
    private static final int REQUESTS_PER_LOGGER = 10;
    private static final int CHURN_BYTES_PER_REQUEST = 4_096;

    @Override
    public int requestsPerSecond() {
        return REQUESTS_PER_SECOND;
    }

    @Override
    public void handleRequest(long requestId) {
        if (requestId % REQUESTS_PER_LOGGER == 0) {
            requestLogger(requestId).fine(() -> "request " + requestId);
        }
        RequestWork.churn(requestId, CHURN_BYTES_PER_REQUEST);
    }

    /** The leak: every name creates a node in the JDK's logger tree that nothing ever removes. */
    private static Logger requestLogger(long requestId) {
        return Logger.getLogger("request-" + requestId);
    }
}
