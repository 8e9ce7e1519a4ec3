package dev.leakwatch.agent.attach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.format.report.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code attach --wait} on a recording directory the test writes, on a clock of its own: each pause moves the clock
 * and lets the "agent" write its next report, so nothing here waits on time.
 */
class ReportFollowerTest {
    @TempDir
    Path recording;

    private final AtomicLong nanos = new AtomicLong();
    private final AtomicBoolean alive = new AtomicBoolean(true);
    private final List<Duration> pauses = new ArrayList<>();

    /** Minimal reports in the agent's JSON: the verdict and the summary are what a follower reads. */
    private void writeReport(Verdict verdict, int refresh) throws IOException {
        Path report = recording.resolve(Verdicts.JSON_REPORT);
        Path next = recording.resolve("next.tmp");
        Files.writeString(
                next,
                "{\"schemaVersion\":5,\"generatedAt\":\"2026-12-05T07:00:0" + refresh + "Z\",\"verdict\":\""
                        + verdict.wireName() + "\",\"summary\":\"refresh " + refresh
                        + "\",\"suspects\":[],\"candidates\":[],\"findings\":[],"
                        + "\"warnings\":[]}",
                StandardCharsets.UTF_8);
        Files.move(next, report, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        // a coarse file system could give two refreshes one time stamp: each refresh gets its own
        Files.setLastModifiedTime(report, FileTime.fromMillis(1_000_000L + refresh * 1000L));
    }

    /** What the "agent" does while the follower pauses. */
    private interface Meanwhile {
        void happen(Duration pause) throws IOException;
    }

    private ReportFollower follower(Meanwhile meanwhile) {
        return new ReportFollower(recording.resolve(Verdicts.JSON_REPORT), alive::get, nanos::get, duration -> {
            pauses.add(duration);
            nanos.addAndGet(duration.toNanos());
            try {
                meanwhile.happen(duration);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void followsRefreshesUntilOneSuspectsALeak() throws Exception {
        writeReport(Verdict.NOT_ENOUGH_DATA, 0);
        ReportFollower follower = follower(duration -> {
            int refresh = pauses.size();
            writeReport(refresh < 3 ? Verdict.NO_LEAK_FOUND : Verdict.LEAK_SUSPECTED, refresh);
        });
        ReportFollower.Outcome outcome = follower.follow(Duration.ofMinutes(30));
        assertEquals(ReportFollower.End.LEAK_SUSPECTED, outcome.end());
        assertEquals("refresh 3", outcome.last().orElseThrow().summary());
        assertEquals(3, pauses.size(), "one look per refresh: " + pauses);
        assertTrue(pauses.stream().allMatch(ReportFollower.POLL::equals), pauses::toString);
    }

    @Test
    void theTimeLimitEndsItWithTheLastReport() throws Exception {
        writeReport(Verdict.NO_LEAK_FOUND, 1);
        ReportFollower.Outcome outcome = follower(duration -> {}).follow(Duration.ofMillis(2500));
        assertEquals(ReportFollower.End.TIME_LIMIT, outcome.end());
        assertEquals(Verdict.NO_LEAK_FOUND, outcome.last().orElseThrow().verdict());
        assertEquals(
                List.of(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMillis(500)),
                pauses,
                "never past the limit");
    }

    @Test
    void aTargetThatEndsIsReadOnceMoreForItsFinalReport() throws Exception {
        writeReport(Verdict.NO_LEAK_FOUND, 1);
        ReportFollower.Outcome outcome = follower(duration -> {
                    alive.set(false);
                    writeReport(Verdict.LEAK_SUSPECTED, 2); // written by the agent's shutdown hook
                })
                .follow(Duration.ofMinutes(5));
        assertEquals(ReportFollower.End.LEAK_SUSPECTED, outcome.end());

        alive.set(true);
        writeReport(Verdict.NO_LEAK_FOUND, 3);
        ReportFollower.Outcome ended = follower(duration -> alive.set(false)).follow(Duration.ofMinutes(5));
        assertEquals(ReportFollower.End.TARGET_ENDED, ended.end());
        assertEquals(Verdict.NO_LEAK_FOUND, ended.last().orElseThrow().verdict());
    }

    @Test
    void noReportYetAndAFileThatIsNotOneAreWaitedPast() throws Exception {
        ReportFollower.Outcome none = follower(duration -> {}).follow(Duration.ofSeconds(2));
        assertEquals(ReportFollower.End.TIME_LIMIT, none.end());
        assertTrue(none.last().isEmpty());

        Files.writeString(recording.resolve(Verdicts.JSON_REPORT), "{\"schemaVersion\":5,\"verd");
        ReportFollower.Outcome torn =
                follower(duration -> writeReport(Verdict.LEAK_SUSPECTED, 1)).follow(Duration.ofMinutes(1));
        assertEquals(ReportFollower.End.LEAK_SUSPECTED, torn.end(), "a torn read is read again at the next look");
    }

    @Test
    void aLinkInPlaceOfTheReportIsNeverRead() throws Exception {
        Path elsewhere = Files.createDirectory(recording.resolve("elsewhere"));
        Path planted = elsewhere.resolve("r.json");
        Files.writeString(
                planted,
                "{\"schemaVersion\":5,\"generatedAt\":\"2026-12-05T07:00:00Z\",\"verdict\":\"leak-suspected\","
                        + "\"summary\":\"planted\",\"suspects\":[],\"candidates\":[],\"findings\":[],\"warnings\":[]}");
        Files.createSymbolicLink(recording.resolve(Verdicts.JSON_REPORT), planted);
        ReportFollower.Outcome outcome = follower(duration -> {}).follow(Duration.ofSeconds(2));
        assertEquals(ReportFollower.End.TIME_LIMIT, outcome.end());
        assertTrue(outcome.last().isEmpty(), "the planted report was not taken");
    }
}
