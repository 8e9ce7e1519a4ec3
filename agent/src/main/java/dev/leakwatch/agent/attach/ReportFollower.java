package dev.leakwatch.agent.attach;

import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.format.report.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Follows a running recording's {@code leak-report.json} for {@code attach --wait}: until a report suspects a leak,
 * the target ends, or the time limit passes. It reads the files the agent writes in the recording directory, this
 * user's own, so that following costs the target nothing: no attach, no command, nothing loaded into it.
 */
final class ReportFollower {
    /** The agent refreshes its report every {@code report} period (a minute by default); a second is prompt enough. */
    static final Duration POLL = Duration.ofSeconds(1);

    /** Waits between two looks; a test passes one that moves its own clock instead of sleeping. */
    interface Pause {
        void pause(Duration duration) throws InterruptedException;
    }

    enum End {
        LEAK_SUSPECTED,
        TARGET_ENDED,
        TIME_LIMIT
    }

    /** How the following ended, with the newest report read (empty when the agent had written none). */
    record Outcome(End end, Optional<LeakReport> last) {}

    private final Path report;
    private final BooleanSupplier targetAlive;
    private final LongSupplier nanoTime;
    private final Pause pause;
    private FileTime lastModified;
    private LeakReport last;

    ReportFollower(Path report, BooleanSupplier targetAlive, LongSupplier nanoTime, Pause pause) {
        this.report = report;
        this.targetAlive = targetAlive;
        this.nanoTime = nanoTime;
        this.pause = pause;
    }

    static ReportFollower of(Path recording, long pid) {
        return new ReportFollower(
                recording.resolve(Verdicts.JSON_REPORT),
                () -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                System::nanoTime,
                duration -> Thread.sleep(Math.max(1, duration.toMillis())));
    }

    Outcome follow(Duration limit) throws InterruptedException {
        long deadline = nanoTime.getAsLong() + limit.toNanos();
        while (true) {
            readIfNew();
            if (last != null && last.verdict() == Verdict.LEAK_SUSPECTED) {
                return new Outcome(End.LEAK_SUSPECTED, Optional.of(last));
            }
            if (!targetAlive.getAsBoolean()) {
                readIfNew(); // the final report the agent writes at exit
                return new Outcome(
                        last != null && last.verdict() == Verdict.LEAK_SUSPECTED
                                ? End.LEAK_SUSPECTED
                                : End.TARGET_ENDED,
                        Optional.ofNullable(last));
            }
            long left = deadline - nanoTime.getAsLong();
            if (left <= 0) {
                return new Outcome(End.TIME_LIMIT, Optional.ofNullable(last));
            }
            pause.pause(Duration.ofNanos(Math.min(left, POLL.toNanos())));
        }
    }

    /**
     * Reads the report when it changed since the last look. One being replaced as it is read, or not written yet,
     * is simply read at the next look: the agent replaces it whole (write and rename), so a look sees an old report
     * or a new one, never half of one.
     */
    private void readIfNew() {
        try {
            if (!Files.isRegularFile(report, LinkOption.NOFOLLOW_LINKS)) {
                return; // not written yet (a link is never read: Verdicts.newestReport refuses it too)
            }
            FileTime modified = Files.getLastModifiedTime(report, LinkOption.NOFOLLOW_LINKS);
            if (!modified.equals(lastModified)) {
                Optional<LeakReport> read = Verdicts.newestReport(report.getParent());
                if (read.isPresent()) {
                    last = read.get();
                    lastModified = modified;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not there yet, or replaced while read: the next look tries again
        }
    }
}
