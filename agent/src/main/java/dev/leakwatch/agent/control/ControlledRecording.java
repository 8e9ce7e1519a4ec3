package dev.leakwatch.agent.control;

import dev.leakwatch.agent.options.AgentOptions;
import dev.leakwatch.format.report.AgentSummary;

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
