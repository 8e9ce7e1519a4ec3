package dev.leakwatch.analyzer.report;

import static dev.leakwatch.analyzer.report.TerminalText.safe;

import dev.leakwatch.format.report.AgentSummary;
import dev.leakwatch.format.report.AllocationSite;
import dev.leakwatch.format.report.GaugeFinding;
import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.format.report.RelatedClass;
import dev.leakwatch.format.report.RetentionChain;
import dev.leakwatch.format.report.SnapshotSummary;
import dev.leakwatch.format.report.Suspect;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code leak-report.txt}: the terminal summary, read top to bottom by a person on call. Every string that comes from
 * the observed JVM (class names, frames, paths, the lines that quote them) passes through {@link TerminalText#safe}.
 */
public final class TextReportWriter implements ReportWriter {
    private static final int RELATED_SHOWN = 4;
    private static final int CANDIDATES_SHOWN = 5;

    @Override
    public String formatName() {
        return "text";
    }

    @Override
    public String fileName() {
        return "leak-report.txt";
    }

    @Override
    public String render(LeakReport report) {
        StringBuilder out = new StringBuilder();
        out.append("leakwatch report: ")
                .append(report.verdict().wireName())
                .append(". ")
                .append(safe(report.summary()))
                .append('\n');
        SnapshotSummary snapshots = report.snapshots();
        out.append(String.format(Locale.ROOT, "source: %s\n", safe(report.source())));
        out.append(String.format(
                Locale.ROOT,
                "snapshots: %d over %s (%d analysed after a warm-up of %s, %s)%s\n",
                snapshots.count(),
                Wording.minutes(snapshots.spanSeconds() / 60),
                snapshots.analysedPoints(),
                Wording.minutes(snapshots.warmupSeconds() / 60),
                snapshots.warmupRule(),
                (snapshots.pid() == null ? "" : "; pid " + snapshots.pid())
                        + (snapshots.jvm() == null
                                ? ""
                                : (snapshots.pid() == null ? "; " : ", ") + "JVM " + safe(snapshots.jvm()))));
        out.append("heap: ").append(safe(report.heap().summary())).append('\n');
        if (!report.suspects().isEmpty()) {
            out.append('\n');
            for (Suspect suspect : report.suspects()) {
                appendSuspect(out, suspect);
            }
        }
        for (GaugeFinding finding : report.findings()) {
            out.append(String.format(
                    Locale.ROOT,
                    "\n[%s] %s (confidence %.2f%s)\n    %s\n",
                    finding.kind(),
                    safe(finding.summary()),
                    finding.confidence(),
                    fingerprint(finding.fingerprint()),
                    safe(finding.explanation())));
        }
        if (!report.candidates().isEmpty()) {
            out.append("\nweaker candidates (not suspects):\n");
            for (Suspect candidate : report.candidates()
                    .subList(0, Math.min(CANDIDATES_SHOWN, report.candidates().size()))) {
                out.append(String.format(
                        Locale.ROOT,
                        "    %s  %s/min, confidence %.2f\n",
                        safe(candidate.className()),
                        Wording.bytes(candidate.growthBytesPerMinute()),
                        candidate.confidence()));
            }
        }
        AgentSummary agent = report.agent();
        out.append(String.format(
                Locale.ROOT,
                "\nrecording cost: %.1f s in snapshots (%.2f%% of wall time), newest histogram: %s%s\n",
                agent.snapshotSecondsTotal(),
                agent.overheadPercent(),
                safe(agent.histogramMode()),
                agent.suppressedErrors() == null ? "" : ", agent errors survived: " + agent.suppressedErrors()));
        if (agent.allocationTracking() != null) {
            AgentSummary.AllocationTracking tracking = agent.allocationTracking();
            out.append(String.format(
                    Locale.ROOT,
                    "allocation sampling: %s, %d samples tracked (cap %d)%s\n",
                    interval(tracking),
                    tracking.trackedSamples(),
                    tracking.capacity(),
                    coverage(tracking)));
        } else if (!report.suspects().isEmpty()) {
            out.append(Wording.ALLOCATIONS_NOT_TRACKED).append('\n');
        }
        AgentSummary.Recording recording = agent.recording();
        if (recording != null
                && (recording.writing() != AgentSummary.Writing.OK
                        || recording.snapshotsSaved() < recording.snapshotsTaken())) {
            out.append(String.format(
                    Locale.ROOT,
                    "snapshots on disk: %d of %d taken%s\n",
                    recording.snapshotsSaved(),
                    recording.snapshotsTaken(),
                    recording.writing() == AgentSummary.Writing.OK
                            ? ""
                            : "; writing " + recording.writing().wireName() + ": " + safe(recording.problem())));
        }
        if (agent.note() != null) {
            out.append("note: ").append(safe(agent.note())).append('\n');
        }
        if (snapshots.skippedRecords() > 0) {
            out.append(String.format(Locale.ROOT, "skipped records: %d\n", snapshots.skippedRecords()));
        }
        for (String warning : report.warnings()) {
            out.append("warning: ").append(safe(warning)).append('\n');
        }
        if (agent.version() != null) {
            out.append("written by leakwatch ").append(safe(agent.version())).append('\n');
        }
        return out.toString();
    }

    /** The fingerprint after the confidence; nothing for a report of schema 5 or older, which has none. */
    private static String fingerprint(String fingerprint) {
        return fingerprint == null ? "" : ", fingerprint " + safe(fingerprint);
    }

    private static void appendSuspect(StringBuilder out, Suspect suspect) {
        out.append(String.format(
                Locale.ROOT,
                "#%d %s  confidence %.2f (%s)%s\n",
                suspect.rank(),
                safe(suspect.className()),
                suspect.confidence(),
                suspect.severity().wireName(),
                fingerprint(suspect.fingerprint())));
        out.append(String.format(
                Locale.ROOT,
                "    grows %s/min, %s instances/min; now %s in %,d instances; growing since %s\n",
                Wording.bytes(suspect.growthBytesPerMinute()),
                String.format(Locale.ROOT, "%,.0f", suspect.growthInstancesPerMinute()),
                Wording.bytes(suspect.liveBytes()),
                suspect.liveInstances(),
                suspect.firstSeenGrowing()));
        if (!suspect.relatedClasses().isEmpty()) {
            List<RelatedClass> shown = suspect.relatedClasses()
                    .subList(0, Math.min(RELATED_SHOWN, suspect.relatedClasses().size()));
            String related = shown.stream()
                    .map(r -> safe(r.className()) + " (" + Wording.bytes(r.growthBytesPerMinute()) + "/min)")
                    .collect(Collectors.joining(", "));
            int more = suspect.relatedClasses().size() - shown.size();
            out.append("    with: ")
                    .append(related)
                    .append(more > 0 ? ", and " + more + " more" : "")
                    .append('\n');
        }
        if (!suspect.allocationSites().isEmpty()) {
            AllocationSite top = suspect.allocationSites().get(0);
            out.append(String.format(
                    Locale.ROOT,
                    "    allocated at (%s%s, %.0f%% of the tracked growth, +%s/min, %d live samples from %d snapshots, oldest %s):\n",
                    types(top),
                    top.paths() > 1 ? " in " + top.paths() + " paths" : "",
                    top.share() * 100,
                    Wording.bytes(top.growthBytesPerMinute()),
                    top.liveSamples(),
                    top.distinctEpochs(),
                    Wording.minutes(top.oldestAgeSeconds() / 60)));
            for (int i = 0; i < top.frames().size(); i++) {
                String mark = i == top.firstApplicationFrame()
                        ? "   <- application code"
                        : i == top.firstNonJdkFrame() ? "   <- first frame outside the JDK" : "";
                out.append("        at ")
                        .append(safe(top.frames().get(i)))
                        .append(mark)
                        .append('\n');
            }
            for (AllocationSite other : suspect.allocationSites()
                    .subList(1, suspect.allocationSites().size())) {
                out.append(String.format(
                        Locale.ROOT,
                        "    also %.0f%% at %s: %s\n",
                        other.share() * 100,
                        safe(other.keyFrame()),
                        types(other)));
            }
        }
        appendChains(out, suspect);
        out.append("    why: ").append(safe(suspect.explanation())).append('\n');
    }

    /**
     * Each chain from its root down to the suspect, one reference a line, as LeakCanary prints a leak trace; the
     * growing container's reference marked. Every name comes from the host's heap: escaped.
     */
    private static void appendChains(StringBuilder out, Suspect suspect) {
        for (RetentionChain chain : suspect.retainedBy()) {
            out.append(String.format(
                    Locale.ROOT,
                    "    held by %s %s (%,d %s found):\n",
                    safe(chain.rootKind()),
                    safe(chain.root()),
                    chain.objects(),
                    chain.objects() == 1 ? "object" : "objects"));
            RetentionChain.Container container = chain.container();
            for (int i = 0; i < chain.chain().size(); i++) {
                out.append(i == 0 ? "        " : "        -> ")
                        .append(safe(chain.chain().get(i)));
                if (container != null && container.chainIndex() == i) {
                    out.append("   <- grows: ").append(safe(container.className()));
                    if (container.growthEntriesPerMinute() != null) {
                        out.append(
                                String.format(Locale.ROOT, ", %+,.0f entries/min", container.growthEntriesPerMinute()));
                    }
                }
                out.append('\n');
            }
            out.append("        -> ").append(safe(suspect.className())).append('\n');
        }
    }

    /**
     * Every type a site allocates, so that no site line leaves the reader to guess what it holds (issue 13: three
     * "also" lines without a type hid where most of the growth was); the site's stack is that of the first.
     */
    private static String types(AllocationSite site) {
        List<String> types =
                site.allocatedTypes().isEmpty() ? List.of(String.valueOf(site.allocatedType())) : site.allocatedTypes();
        return types.stream().map(TerminalText::safe).collect(Collectors.joining(", "));
    }

    /** The interval in its sampler's unit: the same number means allocations to one and bytes to the other. */
    private static String interval(AgentSummary.AllocationTracking tracking) {
        return switch (tracking.sampler()) {
            case INSTRUMENTATION -> "1 in " + tracking.samplingInterval() + " allocations";
            case JVM -> "JVM heap sampler, one sample per " + Wording.bytes(tracking.samplingInterval()) + " allocated";
        };
    }

    /** ", 2315 classes instrumented (41207 sites, 1 failed)", or nothing when the snapshots did not record it. */
    private static String coverage(AgentSummary.AllocationTracking tracking) {
        if (tracking.instrumentedClasses() == null) {
            return "";
        }
        long failed = tracking.failedClasses() == null ? 0 : tracking.failedClasses();
        return String.format(
                Locale.ROOT,
                ", %d classes instrumented (%d sites%s)",
                tracking.instrumentedClasses(),
                tracking.instrumentedSites() == null ? 0 : tracking.instrumentedSites(),
                failed > 0 ? ", " + failed + " failed and run unchanged" : "");
    }
}
