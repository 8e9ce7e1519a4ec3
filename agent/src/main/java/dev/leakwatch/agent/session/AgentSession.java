package dev.leakwatch.agent.session;

import dev.leakwatch.agent.control.AgentControl;
import dev.leakwatch.agent.control.ControlledRecording;
import dev.leakwatch.agent.control.JfrEvents;
import dev.leakwatch.agent.control.RecordingProperty;
import dev.leakwatch.agent.control.SuspectBeans;
import dev.leakwatch.agent.holders.RetentionMonitor;
import dev.leakwatch.agent.holders.RetentionSearch;
import dev.leakwatch.agent.instrument.BootstrapJar;
import dev.leakwatch.agent.log.AgentLog;
import dev.leakwatch.agent.options.AgentOptions;
import dev.leakwatch.agent.options.HoldersMode;
import dev.leakwatch.agent.options.SamplerChoice;
import dev.leakwatch.agent.report.LiveReport;
import dev.leakwatch.agent.sampling.JvmHeapSampler;
import dev.leakwatch.agent.sampling.SamplerUnavailableException;
import dev.leakwatch.agent.snapshot.OutputDirectory;
import dev.leakwatch.agent.snapshot.SnapshotScheduler;
import dev.leakwatch.agent.snapshot.SnapshotSettings;
import dev.leakwatch.agent.snapshot.SnapshotWriter;
import dev.leakwatch.analyzer.analysis.AnalysisSettings;
import dev.leakwatch.analyzer.report.TextReportWriter;
import dev.leakwatch.format.Units;
import dev.leakwatch.format.model.ClassCount;
import dev.leakwatch.format.model.Snapshot;
import dev.leakwatch.format.report.AgentSummary;
import dev.leakwatch.format.report.LeakReport;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One recording in one JVM: the snapshot scheduler, the live report it feeds, the control MBean, JFR events and the
 * shutdown hook that writes the final report. Everything runs on our own daemon threads, or on the thread of a
 * control command (the JVM's attach listener, or a JMX caller's); nothing here may throw into the host.
 */
public final class AgentSession implements ControlledRecording {
    /** The JVM's exit is never held up longer than this by our final report. */
    static final Duration SHUTDOWN_GRACE = Duration.ofMillis(900);
    /** A snapshot asked for through the control waits at most this long. */
    static final Duration SNAPSHOT_TIMEOUT = Duration.ofSeconds(60);

    private final AgentOptions options;
    private final AgentLog log;
    private final OutputDirectory outputDirectory;
    private final SnapshotScheduler scheduler;
    private final LiveReport report;
    private final SuspectBeans suspectBeans;
    private final boolean jfrEvents = JfrEvents.available();
    private final Thread shutdownHook;
    private final RetentionMonitor holders;
    /** The newest report the holders saw; snapshot thread only. */
    private LeakReport holdersSawReport;

    private final Consumer<AgentSession> onStopped;
    private final Instrumentation instrumentation;
    private volatile boolean recording;
    private volatile AllocationSampling allocations;
    private final boolean trackAllocations;
    private final boolean mayInstrument;
    private final boolean startAllocationsBeforeMain;
    /** Why allocations are not tracked though they were asked for; for {@link #status()}. */
    private volatile String allocationsOffReason = "see stderr";

    private AgentSession(
            AgentOptions options,
            Instrumentation instrumentation,
            boolean beforeMain,
            AgentLog log,
            Consumer<AgentSession> onStopped) {
        this.trackAllocations = options.allocations().tracks();
        this.startAllocationsBeforeMain = beforeMain && trackAllocations && !jvmSamplerExpected(options);
        this.mayInstrument = options.allocations().instrumentsWhen(startAllocationsBeforeMain);
        this.options = options;
        this.instrumentation = instrumentation;
        this.log = log;
        this.onStopped = onStopped;
        this.outputDirectory = new OutputDirectory(options.output(), options.fileMode(), log);
        this.scheduler = new SnapshotScheduler(
                new SnapshotSettings(
                        options.output(), options.interval(), options.budget(), options.maxPause(), options.maxDisk()),
                outputDirectory,
                log);
        this.report = new LiveReport(
                outputDirectory,
                options.report(),
                new AnalysisSettings(options.warmup(), Clock.systemUTC()),
                options.window(),
                log,
                this::suppressedErrors,
                this::recordingState);
        this.suspectBeans = new SuspectBeans(log);
        this.report.agentOptions(options.toArgumentString());
        this.shutdownHook = new Thread(this::finalReport, "leakwatch-shutdown");
        this.holders = new RetentionMonitor(
                new RetentionSearch(
                        Path.of(System.getProperty("java.io.tmpdir")),
                        RetentionSearch.Limits.defaults(options.maxPause())),
                instrumentation,
                options.holders(),
                options.holdersEvery(),
                options.maxPause(),
                log,
                System::currentTimeMillis);
    }

    /**
     * Starts recording; returns null (after one line on stderr) when the recording cannot start.
     *
     * @param beforeMain whether the JVM is starting ({@code premain}) rather than running ({@code agentmain})
     * @param onStopped  called once when the session is stopped through its control
     */
    public static AgentSession start(
            AgentOptions options,
            Instrumentation instrumentation,
            boolean beforeMain,
            AgentLog log,
            Consumer<AgentSession> onStopped) {
        AgentSession session = new AgentSession(options, instrumentation, beforeMain, log, onStopped);
        if (session.startAllocationsBeforeMain) {
            session.startAllocationTracking();
        }
        session.scheduler.addListener(session.report::accept);
        session.scheduler.addListener(session::searchHolders);
        session.report.decorateWith(session.holders::decorate);
        session.scheduler.setAgentOwnedSource(session::ownFootprint);
        if (session.jfrEvents) {
            session.scheduler.addListener(JfrEvents::snapshotTaken);
            session.holders.onChain(JfrEvents::retentionChainFound);
        }
        session.report.onRefresh(session::reportRefreshed);
        session.recording = true;
        if (!session.scheduler.start(session::beforeFirstSnapshot)) {
            session.recording = false;
            session.stopAllocationTracking(); // started in premain: no recording, so no instrumentation either
            return null;
        }
        Runtime.getRuntime().addShutdownHook(session.shutdownHook);
        System.setProperty(
                RecordingProperty.NAME, options.output().toAbsolutePath().toString());
        log.info("recording to " + options.output().toAbsolutePath() + " every "
                + Units.formatDuration(options.interval())
                + " (report every " + Units.formatDuration(options.report()) + ", budget "
                + String.format(Locale.ROOT, "%.1f%%", options.budget() * 100) + " of wall time, disk cap "
                + (options.maxDisk() >> 20) + " MB)");
        return session;
    }

    /**
     * Whether a session started from {@code premain} must be set up on the host's thread, before {@code main}: only to
     * instrument classes as they load. Otherwise everything can start on a thread of ours.
     */
    public static boolean needsHostThread(AgentOptions options) {
        return options.allocations().tracks() && !jvmSamplerExpected(options);
    }

    /**
     * Whether the JVM's heap sampler will be the sampler, as far as premain can tell without loading it. That sampler
     * changes no class, so it need not start before {@code main}: it starts on our thread, where its set-up (the
     * native library, the tracker's prepared paths, about 150 classes) does not delay {@code main} (docs/measurements.md,
     * "Allocation tracking by default"). Instrumentation does need {@code premain}, to instrument each class as it
     * loads rather than retransform it later.
     */
    private static boolean jvmSamplerExpected(AgentOptions options) {
        return options.sampler() != SamplerChoice.INSTRUMENTATION && JvmHeapSampler.libraryShipped();
    }

    /** On the snapshot thread, before its first snapshot: work that must not run on the host's thread. */
    private void beforeFirstSnapshot() {
        if (outputRefused()) {
            stopAllocationTracking(); // started in premain: nothing is recorded, so nothing may cost the host either
            return;
        }
        if (trackAllocations && !startAllocationsBeforeMain) {
            startAllocationTracking(); // first: the sooner it starts, the fewer allocations go unsampled
        }
        try {
            new AgentControl(this).register();
        } catch (Throwable t) {
            log.error(
                    "control MBean " + AgentControl.OBJECT_NAME + " not registered; JMX clients will not find it"
                            + " (leakwatch's own commands do not need it)",
                    t);
        }
        suspectBeans.prewarm();
        report.prewarm();
        if (options.holders() != HoldersMode.OFF) {
            String unavailable = holders.checkAvailable();
            if (unavailable != null) {
                log.info("holders unavailable, reports name no retention chains: " + unavailable);
            }
        }
    }

    /**
     * On the snapshot thread after each snapshot: once a new report is out, searches the holders of a suspect that is
     * due, and writes the report again with them. Its time counts in the snapshot's, so the budget covers it.
     */
    private void searchHolders(Snapshot snapshot) {
        try {
            LeakReport latest = report.latest();
            if (latest == null || latest == holdersSawReport) {
                return;
            }
            holdersSawReport = latest;
            if (holders.afterReport(latest, scheduler.lastDurationMillis())) {
                holdersSawReport = report.refresh();
            }
        } catch (Throwable t) {
            log.error("holders search failed", t);
        }
    }

    /**
     * Each new report, on the refreshing thread: as one MBean per suspect (first: it never throws), and as JFR events.
     * Not once stopped, when {@link #stop()} has unregistered the beans.
     */
    private void reportRefreshed(LeakReport newest) {
        if (recording) {
            suspectBeans.update(newest);
        }
        if (jfrEvents) {
            JfrEvents.reportRefreshed(newest);
        }
    }

    /**
     * In {@code premain}, on the host's main thread before {@code main}, when instrumentation is the sampler: few
     * classes are loaded yet, and each class loaded later is instrumented as it loads, so nothing is retransformed
     * after the JIT compiled it (retransforming the ~1,400 classes loaded by then throws their compiled code away, at
     * more CPU than everything else the agent does: docs/measurements.md, "Allocation tracking overhead"). After an attach, on our snapshot thread: instrumentation must retransform the
     * classes already loaded, which takes a while. With the JVM's heap sampler, on our snapshot thread too, from
     * {@code premain} as after an attach: should the sampler then fail to start, instrumenting would retransform, so
     * {@code allocations=auto} records histograms only and says why.
     */
    private void startAllocationTracking() {
        try {
            if (instrumentation == null) {
                return;
            }
            AllocationSampling tracking = startSampler();
            if (tracking == null) {
                return;
            }
            tracking.pauseWhile(scheduler::isWaitingForRoom);
            allocations = tracking;
            scheduler.setBeforeHistogram(tracking::beforeHistogram);
            scheduler.setAllocationSource(() -> Optional.of(tracking.snapshot(log)));
            log.info("allocation tracking: " + tracking.describe(options));
        } catch (Throwable t) {
            log.error("allocation tracking disabled, histograms go on", t);
        }
    }

    /**
     * The JVM's heap sampler unless instrumentation was asked for, else (or where that sampler cannot run, with
     * {@code sampler=auto}) instrumentation, unless the mode forbids retransforming a running JVM's classes. Null,
     * after one line saying why, when allocations go untracked.
     */
    private AllocationSampling startSampler() throws IOException {
        String jvmSamplerProblem = null;
        if (options.sampler() != SamplerChoice.INSTRUMENTATION) {
            try {
                return AllocationSampling.startJvmSampler(
                        options, instrumentation, Path.of(System.getProperty("java.io.tmpdir")));
            } catch (SamplerUnavailableException e) {
                if (Thread.currentThread().isInterrupted()) {
                    // The recording is stopping (the JVM exits during start-up, which interrupts our thread mid-copy
                    // with a ClosedByInterruptException): the sampler is not unavailable, it is not wanted any more.
                    return null;
                }
                jvmSamplerProblem = e.getMessage();
            }
        }
        if (options.sampler() == SamplerChoice.JVM) {
            return untracked("sampler=jvm, but the JVM's heap sampler is unavailable: " + jvmSamplerProblem
                    + " (sampler=auto instruments allocation sites instead)");
        }
        if (!mayInstrument) {
            return untracked(
                    jvmSamplerProblem == null
                            ? "allocations=auto retransforms no class of a running JVM, and sampler=instrumentation leaves out"
                                    + " the JVM's heap sampler; attach with allocations=on to instrument, or sampler=auto to"
                                    + " sample"
                            : "the JVM's heap sampler is unavailable (" + jvmSamplerProblem + "), and allocations=auto"
                                    + " retransforms no class of a running JVM; attach with allocations=on to instrument");
        }
        if (jvmSamplerProblem != null) {
            log.info("the JVM's heap sampler is unavailable (" + jvmSamplerProblem + "); instrumenting allocation"
                    + " sites");
        }
        return startInstrumentation();
    }

    private AllocationSampling untracked(String reason) {
        allocationsOffReason = reason;
        log.info("allocation tracking off: " + reason);
        return null;
    }

    private AllocationSampling startInstrumentation() throws IOException {
        if (BootstrapJar.install(instrumentation, Path.of(System.getProperty("java.io.tmpdir")))
                == BootstrapJar.Installation.APPENDED) {
            log.info("allocation hook appended to the bootstrap class path (this JVM did not let it be defined"
                    + " directly): class-data sharing is off for the classes loaded from now on");
        }
        AllocationSampling started = AllocationSampling.startInstrumentation(options, instrumentation, log);
        if (startAllocationsBeforeMain) {
            log.info("allocation sites are instrumented as their classes load");
        }
        return started;
    }

    /**
     * Checks the output directory before anything starts for it, without creating it (the first file does): a refused
     * one (one line says why) records nothing, so the heap sampler, the MBean and the report are not started either
     * (FaultInjectionIT: one line, no more).
     */
    private boolean outputRefused() {
        try {
            return outputDirectory.refusedBeforeAnyWrite();
        } catch (RuntimeException e) {
            return false; // not refused: the writer tries and says why
        }
    }

    /** Undoes the allocation tracking, if it runs; returns the line it logged, or "" when there was none. */
    private String stopAllocationTracking() {
        AllocationSampling tracking = allocations;
        if (tracking == null) {
            return "";
        }
        allocations = null;
        String undone = tracking.stop();
        log.info(undone);
        return undone;
    }

    /** Errors the agent caught and survived: logged ones, and failed recordings of sampled allocations. */
    private long suppressedErrors() {
        AllocationSampling tracking = allocations;
        return log.suppressedErrors() + (tracking == null ? 0 : tracking.failures());
    }

    /** The agent's own objects in the host's heap, as histogram rows: the report's table and the sampler's caches. */
    private List<ClassCount> ownFootprint() {
        AllocationSampling tracking = allocations;
        List<ClassCount> sampler = tracking == null ? List.of() : tracking.ownFootprint();
        if (sampler.isEmpty()) {
            return report.ownFootprint();
        }
        List<ClassCount> all = new ArrayList<>(report.ownFootprint());
        all.addAll(sampler);
        return all;
    }

    /** Whether the snapshots taken reach the disk; for the report, the status and the control. */
    @Override
    public AgentSummary.Recording recordingState() {
        SnapshotWriter writer = scheduler.writer();
        AgentSummary.Writing writing = writer.isRefused()
                ? AgentSummary.Writing.REFUSED
                : writer.isPaused() ? AgentSummary.Writing.PAUSED : AgentSummary.Writing.OK;
        String problem = writing == AgentSummary.Writing.REFUSED
                ? outputDirectory.refusal()
                : writing == AgentSummary.Writing.PAUSED ? writer.pauseReason() : null;
        return new AgentSummary.Recording(scheduler.snapshotsTaken(), writer.recordsWritten(), writing, problem);
    }

    @Override
    public AgentOptions options() {
        return options;
    }

    @Override
    public long snapshotsTaken() {
        return scheduler.snapshotsTaken();
    }

    public LiveReport report() {
        return report;
    }

    @Override
    public boolean isRecording() {
        return recording;
    }

    @Override
    public String describeOptions() {
        return options.toArgumentString();
    }

    @Override
    public int suspectCount() {
        LeakReport latest = report.latest();
        return latest == null ? 0 : latest.suspects().size();
    }

    @Override
    public LeakReport latestReport() {
        return report.latest();
    }

    @Override
    public double snapshotOverheadFraction() {
        return scheduler.overheadFraction();
    }

    @Override
    public long agentErrors() {
        return suppressedErrors();
    }

    @Override
    public String status() {
        LeakReport latest = report.latest();
        return String.format(
                        Locale.ROOT,
                        "%s to %s%n"
                                + "options: %s%n"
                                + "snapshots: %d taken, every %s now, %.2f%% of wall time, newest took %d ms%s%n"
                                + "report: %s",
                        recording ? "recording" : "stopped",
                        options.output().toAbsolutePath(),
                        describeOptions(),
                        scheduler.snapshotsTaken(),
                        Units.formatDuration(scheduler.effectiveInterval()),
                        scheduler.overheadFraction() * 100,
                        scheduler.lastDurationMillis(),
                        scheduler.isForcingGc()
                                ? ""
                                : " (live histograms exceeded maxPause: using all-objects histograms)",
                        latest == null ? "none yet" : latest.verdict().wireName() + ": " + latest.summary())
                + writingStatus()
                + allocationStatus()
                + String.format(Locale.ROOT, "%n%s", holders.describe(latest));
    }

    @Override
    public String holdersStatus() {
        return holders.describe(report.latest());
    }

    @Override
    public String searchHoldersNow() {
        if (!recording) {
            return "not recording";
        }
        try {
            String found = holders.searchNow(report.latest());
            report.refresh();
            return found;
        } catch (Throwable t) {
            log.error("holders search failed", t);
            return "holders search failed: " + AgentLog.describe(t);
        }
    }

    private String writingStatus() {
        AgentSummary.Recording state = recordingState();
        String saved = String.format(
                Locale.ROOT, "%nsnapshots on disk: %d of %d taken", state.snapshotsSaved(), state.snapshotsTaken());
        return switch (state.writing()) {
            case OK -> saved;
            case PAUSED -> saved + "; writing paused (" + state.problem() + "), retried with back-off";
            case REFUSED -> saved + "; not recording: " + state.problem();
        };
    }

    private String allocationStatus() {
        AllocationSampling tracking = allocations;
        if (tracking == null) {
            return String.format(
                    Locale.ROOT,
                    "%nallocations: off (%s)",
                    trackAllocations ? allocationsOffReason : "allocations=on to track");
        }
        return String.format(Locale.ROOT, "%nallocations: %s", tracking.status(options));
    }

    @Override
    public String takeSnapshotNow() {
        if (!recording) {
            return "not recording";
        }
        try {
            Snapshot snapshot = scheduler.takeSnapshotNow().get(SNAPSHOT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return String.format(
                    Locale.ROOT,
                    "snapshot %d taken in %d ms: %d classes, %s histogram",
                    snapshot.sequence(),
                    snapshot.durationMillis(),
                    snapshot.histogram().size(),
                    snapshot.histogram().kind().wireName());
        } catch (Exception e) {
            return "snapshot failed: " + AgentLog.describe(e);
        }
    }

    @Override
    public String refreshReportNow() {
        try {
            return new TextReportWriter().render(report.refresh());
        } catch (Throwable t) {
            log.error("report refresh failed", t);
            return "report failed: " + AgentLog.describe(t);
        }
    }

    /**
     * Stops for good: no more snapshots, a final report, the control unregistered, threads and the in-memory table
     * released. The files stay. Safe to call more than once.
     */
    @Override
    public synchronized String stop() {
        if (!recording) {
            return "not recording";
        }
        recording = false;
        String undone = "";
        try {
            holders.stop(); // a heap walk in progress would hold up the final report for minutes
            scheduler.stop(Duration.ofSeconds(5));
            String stopped = stopAllocationTracking();
            undone = stopped.isEmpty() ? "" : "; " + stopped;
            report.refresh();
            suspectBeans.clear();
            AgentControl.unregister();
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting anyway; the hook will find the session stopped
            }
            System.clearProperty(RecordingProperty.NAME);
            log.info("stopped; files kept in " + options.output().toAbsolutePath());
        } catch (Throwable t) {
            log.error("stopping did not finish cleanly", t);
        } finally {
            onStopped.accept(this);
        }
        return "stopped; " + scheduler.snapshotsTaken() + " snapshots and the final report are in "
                + options.output().toAbsolutePath() + undone;
    }

    /**
     * At JVM exit: stop taking snapshots and write the final report, within {@link #SHUTDOWN_GRACE}. The work runs on
     * a daemon thread so that an analysis still running when the grace ends cannot hold the JVM; the report files
     * are renamed into place, so an interrupted write leaves the previous report intact.
     */
    private void finalReport() {
        if (!recording) {
            return;
        }
        try {
            long deadline = System.nanoTime() + SHUTDOWN_GRACE.toNanos();
            Thread writer = new Thread(
                    () -> {
                        try {
                            // No waiting for a snapshot or a start-up task in progress: the grace is for the report.
                            holders.stop();
                            scheduler.stop(Duration.ZERO);
                            if (scheduler.snapshotsTaken() == 0) {
                                // Nothing to analyze, and nothing is created for it (issue 16: a short-lived JVM
                                // must not leave a directory behind). A refused directory was said already.
                                if (outputDirectory.refusal() == null) {
                                    log.info("the JVM ended before the first snapshot; nothing was recorded in "
                                            + options.output().toAbsolutePath());
                                }
                                return;
                            }
                            if (!scheduler.heapHasRoom()) {
                                // A JVM exiting on a full heap (a leak that ended in OutOfMemoryError): the analysis
                                // would throw one more, at best. The last refresh's report stays (FaultInjectionIT).
                                log.info("no final report: the heap is nearly full; the reports in "
                                        + options.output().toAbsolutePath() + " are from the last refresh");
                                return;
                            }
                            report.refresh();
                        } catch (Throwable t) {
                            log.error("final report failed", t);
                        }
                    },
                    "leakwatch-final-report");
            writer.setDaemon(true);
            writer.start();
            writer.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        } catch (Throwable t) {
            log.error("final report failed", t);
        }
    }
}
