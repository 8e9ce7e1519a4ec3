package dev.leakwatch.format.report;

import java.util.List;

/**
 * The leak report: what {@code leak-report.json} holds, schema documented in {@code docs/formats.md}.
 * Field names are the JSON names; changing one is a schema change ({@link #SCHEMA_VERSION}).
 *
 * @param verdict    what the report concludes, written by its {@link Verdict#wireName() wire name}
 * @param suspects   findings the analysis stands behind (confidence at least 0.5), most important first
 * @param candidates weaker growth that did not make the bar, for a person who wants to look further
 * @param findings   JVM-level growth that a class histogram does not show by itself (classes, threads, direct memory)
 * @param warnings   what reading or analysing had to skip or assume, one line each
 */
public record LeakReport(
        int schemaVersion,
        String generatedAt,
        String source,
        Verdict verdict,
        String summary,
        List<Suspect> suspects,
        List<Suspect> candidates,
        List<GaugeFinding> findings,
        HeapSummary heap,
        SnapshotSummary snapshots,
        AgentSummary agent,
        List<String> warnings) {

    /**
     * Version of the report schema this build writes. 2 added the instrumentation counts to
     * {@code agent.allocationTracking}, 3 its {@code sampler}, 4 {@code agent.recording}; 5 made an allocation site one
     * application method with the paths through it ({@code allocatedTypes}, {@code paths}); 6 added each suspect's and
     * finding's {@code fingerprint}, each suspect's {@code retainedBy} (the reference chains that hold it) and
     * {@code agent.version}.
     */
    public static final int SCHEMA_VERSION = 6;

    public LeakReport {
        suspects = List.copyOf(suspects);
        candidates = List.copyOf(candidates);
        findings = List.copyOf(findings);
        warnings = List.copyOf(warnings);
    }

    /** This report with other suspects and warnings: what the agent's heap walk adds (chains, and why one is missing). */
    public LeakReport withSuspects(List<Suspect> newSuspects, List<String> newWarnings) {
        return new LeakReport(
                schemaVersion,
                generatedAt,
                source,
                verdict,
                summary,
                newSuspects,
                candidates,
                findings,
                heap,
                snapshots,
                agent,
                newWarnings);
    }

    public boolean hasSuspects() {
        return !suspects.isEmpty();
    }
}
