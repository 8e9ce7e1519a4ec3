package dev.leakwatch.agent.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leakwatch.agent.snapshot.TestSnapshots.CapturedLog;
import java.util.List;
import org.junit.jupiter.api.Test;

class DistinctFailureLogTest {
    private final CapturedLog captured = new CapturedLog();
    private final DistinctFailureLog failures = new DistinctFailureLog(captured.log);

    @Test
    void aFailureThatRepeatsIsLoggedOnce() {
        for (int i = 0; i < 3; i++) {
            failures.reportOnce("snapshot failed", new IllegalStateException("no histogram"));
        }

        assertEquals(List.of("[leakwatch] snapshot failed: IllegalStateException (no histogram)"), captured.lines());
        assertEquals(1, captured.log.suppressedErrors(), "repeats are not counted either");
    }

    @Test
    void anotherCauseOrAnotherDescriptionIsAnotherFailure() {
        failures.reportOnce("snapshot failed", new IllegalStateException("no histogram"));
        failures.reportOnce("snapshot failed", new IllegalStateException("no gauges"));
        failures.reportOnce("snapshot failed", new IllegalArgumentException("no histogram"));
        failures.reportOnce("allocation statistics failed", new IllegalStateException("no histogram"));

        assertEquals(4, captured.lines().size(), captured.lines().toString());
    }

    @Test
    void failuresThatDifferEachTimeStopBeingLoggedAtTheLimit() {
        for (int i = 0; i < DistinctFailureLog.MAX_REMEMBERED + 10; i++) {
            failures.reportOnce("snapshot failed", new IllegalStateException("failure " + i));
        }

        assertEquals(DistinctFailureLog.MAX_REMEMBERED, captured.lines().size());
    }

    @Test
    void aFailureWhoseDescriptionThrowsIsDropped() {
        failures.reportOnce("snapshot failed", new IllegalStateException() {
            @Override
            public String getMessage() {
                throw new OutOfMemoryError("no room for the message");
            }
        });

        assertEquals(List.of(), captured.lines());
    }
}
