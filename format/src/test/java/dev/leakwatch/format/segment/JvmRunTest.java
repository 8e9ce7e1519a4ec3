package dev.leakwatch.format.segment;

import static dev.leakwatch.format.segment.Fixtures.MINUTE;
import static dev.leakwatch.format.segment.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.format.model.Snapshot;
import org.junit.jupiter.api.Test;

/** {@link JvmRun}: which snapshots are of one JVM run, and what the run keeps of them. */
class JvmRunTest {
    private static final long PID = 42;
    private static final long START = T0 - 10 * MINUTE;

    @Test
    void theStartIsTheSnapshotTimeMinusTheUptime() {
        assertEquals(START, JvmRun.startEstimate(Fixtures.snapshot(PID, START, 0, T0)));
    }

    @Test
    void aRunIsOnePidWhoseStartWobblesByAtMostThirtySeconds() {
        JvmRun run = runOf(Fixtures.snapshot(PID, START, 0, T0));
        assertTrue(run.matches(PID, START + 30_000));
        assertTrue(run.matches(PID, START - 30_000));
        assertFalse(run.matches(PID, START + 30_001), "a restart of the same pid, as in a container");
        assertFalse(run.matches(PID + 1, START));
    }

    @Test
    void theStartIsComparedWithTheLatestSnapshotSoASlowDriftStaysOneRun() {
        JvmRun run = runOf(Fixtures.snapshot(PID, START, 0, T0));
        long drifted = START;
        for (int i = 1; i <= 3; i++) {
            drifted += 20_000;
            assertTrue(run.matches(PID, drifted), "step " + i);
            assertTrue(run.add(Fixtures.snapshot(PID, drifted, i, T0 + i * MINUTE), drifted));
        }
        assertFalse(run.matches(PID, START), "60 s from the latest start");
    }

    @Test
    void aSnapshotWithoutUptimeMatchesOnlyARunWithoutOne() {
        Snapshot noUptime = Fixtures.snapshot(PID, T0 + 1, 0, T0);
        long unknown = JvmRun.startEstimate(noUptime);
        JvmRun run = runOf(noUptime);
        assertTrue(run.matches(PID, unknown));
        assertFalse(run.matches(PID, START));
        assertFalse(runOf(Fixtures.snapshot(PID, START, 0, T0)).matches(PID, unknown));
    }

    @Test
    void aSequenceNumberSeenBeforeAddsNothing() {
        Snapshot first = Fixtures.snapshot(PID, START, 0, T0);
        JvmRun run = runOf(first);
        assertFalse(run.add(Fixtures.snapshot(PID, START, 0, T0 + MINUTE), START));
        assertEquals(1, run.window().offered());
        assertEquals(T0, run.lastEpochMillis());
    }

    @Test
    void describesItselfByPidCountAndSpan() {
        JvmRun run = runOf(Fixtures.snapshot(PID, START, 0, T0));
        assertEquals("pid 42 (1 snapshot, 2026-11-25T10:00:00Z to 2026-11-25T10:00:00Z)", run.describe());
        run.add(Fixtures.snapshot(PID, START, 1, T0 + MINUTE), START);
        assertEquals("pid 42 (2 snapshots, 2026-11-25T10:00:00Z to 2026-11-25T10:01:00Z)", run.describe());
        assertEquals(
                "unknown pid (1 snapshot, 2026-11-25T10:00:00Z to 2026-11-25T10:00:00Z)",
                runOf(Fixtures.snapshot(-1, START, 0, T0)).describe());
    }

    private static JvmRun runOf(Snapshot first) {
        long start = JvmRun.startEstimate(first);
        JvmRun run = new JvmRun(first.pid(), start, new SnapshotWindow(SnapshotWindow.DEFAULT_MAX_POINTS));
        assertTrue(run.add(first, start));
        return run;
    }
}
