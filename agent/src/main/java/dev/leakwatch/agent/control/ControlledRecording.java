package dev.leakwatch.agent.control;

import dev.leakwatch.agent.options.AgentOptions;
import dev.leakwatch.format.report.AgentSummary;
import dev.leakwatch.format.report.LeakReport;

/**
 * What {@link AgentControl} asks of the recording it controls. The session implements it, so the session depends on
 * the control and not the reverse (issue 12: the two packages imported each other). Every call comes from a control
 * command's thread and must answer with text rather than throw into it.
 */
public interface ControlledRecording {
    boolean isRecording();

    AgentOptions options();

    String describeOptions();

    long snapshotsTaken();

    /** Whether the snapshots taken reach the disk. */
    AgentSummary.Recording recordingState();

    int suspectCount();

    /** The newest report, null before the first. */
    LeakReport latestReport();

    /** The share of wall time snapshots took, 0..1. */
    double snapshotOverheadFraction();

    /** Errors the agent caught and survived. */
    long agentErrors();

    String status();

    String takeSnapshotNow();

    /** Each suspect's retention chains as found so far, or why there are none. */
    String holdersStatus();

    /** Searches the holders of every current suspect now; returns what it found. */
    String searchHoldersNow();

    String refreshReportNow();

    /** Stops for good; safe to call more than once. */
    String stop();
}
