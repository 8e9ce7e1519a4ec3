package dev.leakwatch.analyzer.analysis;

import dev.leakwatch.analyzer.fingerprint.LeakFingerprint;
import dev.leakwatch.analyzer.report.Wording;
import dev.leakwatch.analyzer.rule.AnalysisWindow;
import dev.leakwatch.analyzer.rule.ClassLoadingRule;
import dev.leakwatch.analyzer.rule.GaugeGrowthRule;
import dev.leakwatch.analyzer.rule.HeapLiveSetRule;
import dev.leakwatch.analyzer.rule.LeakRule;
import dev.leakwatch.analyzer.rule.RetainedGrowthRule;
import dev.leakwatch.analyzer.rule.RuleResult;
import dev.leakwatch.analyzer.rule.SharedThresholds;
import dev.leakwatch.analyzer.series.SeriesTable;
import dev.leakwatch.format.model.AllocationStats;
import dev.leakwatch.format.model.InstrumentationCounts;
import dev.leakwatch.format.report.AgentSummary;
import dev.leakwatch.format.report.GaugeFinding;
import dev.leakwatch.format.report.HeapSummary;
import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.format.report.SnapshotSummary;
import dev.leakwatch.format.report.Suspect;
import dev.leakwatch.format.report.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs every rule of {@link #RULES} over the analysis window and assembles the report from their results. The same
 * code runs offline in the CLI and inside the agent, so a report refreshed in the running JVM and one computed later
 * from its files agree.
 */
public final class LeakAnalyzer {
    /**
     * The rules, in the order their results enter the report: suspects and candidates (ranked by their rule), then
     * the JVM-level findings in this order, then the heap's live set (the first heap summary is the report's). A new
     * kind of finding plugs in by joining this list ({@code LeakRuleContractTest}).
     */
    static final List<LeakRule> RULES = rules();

    private final List<LeakRule> rules;

    public LeakAnalyzer() {
        this(RULES);
    }

    /** An analysis with other rules than {@link #RULES}: tests of how results are assembled. */
    LeakAnalyzer(List<LeakRule> rules) {
        this.rules = List.copyOf(rules);
    }

    private static List<LeakRule> rules() {
        List<LeakRule> rules = new ArrayList<>();
        rules.add(new RetainedGrowthRule());
        rules.add(new ClassLoadingRule());
        rules.addAll(GaugeGrowthRule.all());
        rules.add(new HeapLiveSetRule());
        return List.copyOf(rules);
    }

    public LeakReport analyze(SeriesTable table, SeriesProvenance source, AnalysisSettings settings) {
        Warmup.Decision warmup = Warmup.decide(table, settings.warmup());
        AnalysisWindow window = new AnalysisWindow(table, warmup.firstPoint());
        List<Suspect> suspects = new ArrayList<>();
        List<Suspect> candidates = new ArrayList<>();
        List<GaugeFinding> findings = new ArrayList<>();
        HeapSummary heap = null;
        for (LeakRule rule : rules) {
            RuleResult result = rule.evaluate(window);
            addFingerprinted(result.suspects(), suspects);
            addFingerprinted(result.candidates(), candidates);
            for (GaugeFinding finding : result.findings()) {
                findings.add(finding.withFingerprint(LeakFingerprint.of(finding)));
            }
            if (heap == null) {
                heap = result.heap();
            }
        }
        // The verdict needs the window every trend rule needs; the heap section may state a level on less.
        boolean enoughData = SharedThresholds.enoughForATrend(window);
        List<String> warnings = new ArrayList<>(source.warnings());
        if (!enoughData) {
            warnings.add(String.format(
                    Locale.ROOT,
                    Wording.NOT_ENOUGH_DATA,
                    SharedThresholds.MIN_POINTS,
                    Wording.minutes(SharedThresholds.MIN_WINDOW_SECONDS / 60),
                    window.points()));
        }
        Verdict verdict = !enoughData
                ? Verdict.NOT_ENOUGH_DATA
                : suspects.isEmpty() && findings.isEmpty() ? Verdict.NO_LEAK_FOUND : Verdict.LEAK_SUSPECTED;
        return new LeakReport(
                LeakReport.SCHEMA_VERSION,
                Instant.now(settings.clock()).toString(),
                source.description(),
                verdict,
                Wording.reportSummary(suspects.size(), findings.size(), enoughData),
                suspects,
                candidates,
                findings,
                heap,
                snapshotSummary(table, source, warmup, window),
                agentSummary(table, source, settings.version()),
                warnings);
    }

    /**
     * Each suspect with its fingerprint. No retention chain is computed yet, so no holding field enters it; when one
     * is, it goes in here ({@link LeakFingerprint#of(Suspect, String)}).
     */
    private static void addFingerprinted(List<Suspect> found, List<Suspect> into) {
        for (Suspect suspect : found) {
            into.add(suspect.withFingerprint(LeakFingerprint.of(suspect, null)));
        }
    }

    private static SnapshotSummary snapshotSummary(
            SeriesTable table, SeriesProvenance source, Warmup.Decision warmup, AnalysisWindow window) {
        if (table.isEmpty()) {
            return new SnapshotSummary(
                    0,
                    source.recordsRead(),
                    source.skippedRecords(),
                    null,
                    null,
                    0,
                    table.kindCounts(),
                    0,
                    warmup.rule(),
                    0,
                    null,
                    null);
        }
        long first = table.epochMillis(0);
        long last = table.epochMillis(table.size() - 1);
        return new SnapshotSummary(
                table.size(),
                source.recordsRead(),
                source.skippedRecords(),
                Instant.ofEpochMilli(first).toString(),
                Instant.ofEpochMilli(last).toString(),
                (last - first) / 1000.0,
                table.kindCounts(),
                warmup.seconds(),
                warmup.rule(),
                window.points(),
                table.pid() >= 0 ? table.pid() : null,
                table.jvmVersion().isEmpty() ? null : table.jvmVersion());
    }

    private static AgentSummary agentSummary(SeriesTable table, SeriesProvenance source, String version) {
        if (table.isEmpty()) {
            return new AgentSummary(0, 0, 0, null, source.suppressedErrors(), null, null, source.recording(), version);
        }
        // Thinning drops points, so scale the kept points' cost up to everything the agent actually took.
        long spent = 0;
        for (int point = 0; point < table.size(); point++) {
            spent += table.durationMillis(point);
        }
        double scale = Math.max(table.offered(), source.recordsRead()) / (double) table.size();
        double spentSeconds = spent * scale / 1000.0;
        int last = table.size() - 1;
        double wallSeconds = (table.epochMillis(last) - table.epochMillis(0)) / 1000.0;
        double percent = wallSeconds > 0 ? 100.0 * spentSeconds / wallSeconds : 0;
        AllocationStats totals = table.latestAllocationTotals();
        InstrumentationCounts counts = totals == null ? null : totals.instrumentation();
        AgentSummary.AllocationTracking tracking = totals == null
                ? null
                : new AgentSummary.AllocationTracking(
                        totals.sampler(),
                        totals.samplingInterval(),
                        totals.trackedObjects(),
                        totals.capacity(),
                        totals.evictedSamples(),
                        counts == null ? null : counts.classes(),
                        counts == null ? null : counts.sites(),
                        counts == null ? null : counts.failedClasses());
        String note = totals != null && totals.evictedSamples() > 0
                ? Wording.trackingTableFull(totals.evictedSamples())
                : null;
        return new AgentSummary(
                Math.round(spentSeconds * 1000) / 1000.0,
                Math.round(percent * 1000) / 1000.0,
                table.durationMillis(last),
                table.kind(last).wireName(),
                source.suppressedErrors(),
                note,
                tracking,
                source.recording(),
                version);
    }
}
