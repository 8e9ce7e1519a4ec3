package dev.leakwatch.agent.session;

import dev.leakwatch.agent.log.AgentLog;
import dev.leakwatch.agent.options.AgentOptions;
import dev.leakwatch.agent.report.LiveReport;
import dev.leakwatch.agent.snapshot.SnapshotScheduler;
import dev.leakwatch.agent.snapshot.SnapshotSettings;
import dev.leakwatch.analyzer.analysis.AnalysisSettings;
import dev.leakwatch.analyzer.format.Units;
import java.time.Clock;
import java.time.Duration;

/**
 * One recording in one JVM: the snapshot scheduler, the live report it feeds, and the shutdown hook that writes
 * the final report. Everything runs on our own daemon threads; nothing here may throw into the host.
 */
public final class AgentSession {
    /** The JVM's exit is never held up longer than this by our final report. */
    static final Duration SHUTDOWN_GRACE = Duration.ofMillis(900);

    private final AgentOptions options;
    private final AgentLog log;
    private final SnapshotScheduler scheduler;
    private final LiveReport report;
    private final Thread shutdownHook;

    private AgentSession(AgentOptions options, AgentLog log) {
        this.options = options;
        this.log = log;
        this.scheduler = new SnapshotScheduler(new SnapshotSettings(options.output(), options.interval(),
                options.budget(), options.maxPause(), options.maxDisk()), log);
        this.report = new LiveReport(options.output(), options.report(),
                new AnalysisSettings(options.warmup(), Clock.systemUTC()), options.window(), log);
        this.shutdownHook = new Thread(this::finalReport, "leakwatch-shutdown");
    }

    /** Starts recording; returns null (after one line on stderr) when the recording cannot start. */
    public static AgentSession start(AgentOptions options, AgentLog log) {
        AgentSession session = new AgentSession(options, log);
        session.scheduler.addListener(session.report::accept);
        if (!session.scheduler.start(session.report::prewarm)) {
            return null;
        }
        Runtime.getRuntime().addShutdownHook(session.shutdownHook);
        log.info("recording to " + options.output().toAbsolutePath() + " every " + Units.formatDuration(options.interval())
                + " (report every " + Units.formatDuration(options.report()) + ", budget "
                + String.format(java.util.Locale.ROOT, "%.1f%%", options.budget() * 100) + " of wall time, disk cap "
                + (options.maxDisk() >> 20) + " MB)");
        return session;
    }

    public AgentOptions options() {
        return options;
    }

    public SnapshotScheduler scheduler() {
        return scheduler;
    }

    public LiveReport report() {
        return report;
    }

    /**
     * At JVM exit: stop taking snapshots and write the final report, within {@link #SHUTDOWN_GRACE}. The work runs on
     * a daemon thread so that an analysis still running when the grace ends cannot hold the JVM; the report files
     * are renamed into place, so an interrupted write leaves the previous report intact.
     */
    private void finalReport() {
        try {
            long deadline = System.nanoTime() + SHUTDOWN_GRACE.toNanos();
            Thread writer = new Thread(() -> {
                try {
                    scheduler.stop(Duration.ofMillis(300));
                    report.refresh();
                } catch (Throwable t) {
                    log.error("final report failed", t);
                }
            }, "leakwatch-final-report");
            writer.setDaemon(true);
            writer.start();
            writer.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        } catch (Throwable t) {
            log.error("final report failed", t);
        }
    }
}
