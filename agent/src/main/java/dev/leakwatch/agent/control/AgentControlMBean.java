package dev.leakwatch.agent.control;

/**
 * The running agent's control surface. {@code ./leakwatch status|snapshot|report|holders|stop PID} reach it through the attach
 * mechanism ({@link ControlRequest}); it is also registered as {@value AgentControl#OBJECT_NAME} in the platform MBean
 * server, for whatever JMX access the application itself offers (leakwatch never starts a JMX connector). Only JDK
 * types, so any JMX client can read it without our classes.
 */
public interface AgentControlMBean {
    boolean isRecording();

    String getOutputDirectory();

    /** The options the recording runs with, in the same {@code key=value,...} form the agent takes. */
    String getOptions();

    long getSnapshotsTaken();

    /** Snapshots written to the output directory; fewer than taken while writing is paused or refused. */
    long getSnapshotsSaved();

    /** {@code ok}, {@code paused} (a write failed, such as a full disk; retried with back-off) or {@code refused}. */
    String getWriting();

    /** Suspects in the newest report. */
    int getSuspectCount();

    /** The newest report's verdict as a number: 0 no leak found, 1 leak suspected, 2 not enough data (or no report). */
    int getVerdictCode();

    /** The fastest-growing suspect's growth in bytes per minute; 0 without a suspect. */
    double getWorstGrowthBytesPerMinute();

    /** Minutes until the live set fills the heap at its current growth; NaN while it does not grow. */
    double getMinutesToHeapExhaustion();

    /** The share of wall time the snapshots took, in percent. */
    double getSnapshotOverheadPercent();

    /** Errors the agent caught and survived (each logged once); above 0 is worth a look at the JVM's stderr. */
    long getAgentErrors();

    /** A few lines: where, how often, what it costs, what the newest report says. */
    String getStatus();

    /** Each suspect's retention chains (who holds it, from a GC root), or why there are none yet. */
    String getHolders();

    /** Searches who holds each suspect now, whatever the schedule, and returns the chains found. */
    String findHolders();

    /** Takes a snapshot now and returns one line about it. */
    String takeSnapshot();

    /** Analyses now, rewrites the report files and returns the text report. */
    String refreshReport();

    /** Stops recording, writes a final report, releases threads and memory; the files stay. Returns one line. */
    String stop();
}
