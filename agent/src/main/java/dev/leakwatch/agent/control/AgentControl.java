package dev.leakwatch.agent.control;

import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The {@link AgentControlMBean} of one recording. Calls arrive on the JVM's attach listener thread for leakwatch's own
 * commands ({@link ControlRequest}), or on a JMX client's thread; every operation catches what it can and answers
 * with a line of text, never an exception of our own types (a JMX client could not deserialize them).
 */
public final class AgentControl implements AgentControlMBean {
    public static final String OBJECT_NAME = "dev.leakwatch:type=Agent";

    private final ControlledRecording session;

    public AgentControl(ControlledRecording session) {
        this.session = session;
    }

    /** Registers this session's control; replaces a stale registration left by a stopped session. */
    public void register() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(OBJECT_NAME);
        if (server.isRegistered(name)) {
            server.unregisterMBean(name);
        }
        server.registerMBean(this, name);
    }

    public static void unregister() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(OBJECT_NAME);
        if (server.isRegistered(name)) {
            server.unregisterMBean(name);
        }
    }

    @Override
    public boolean isRecording() {
        return session.isRecording();
    }

    @Override
    public String getOutputDirectory() {
        return session.options().output().toAbsolutePath().toString();
    }

    @Override
    public String getOptions() {
        return session.describeOptions();
    }

    @Override
    public long getSnapshotsTaken() {
        return session.snapshotsTaken();
    }

    @Override
    public long getSnapshotsSaved() {
        return session.recordingState().snapshotsSaved();
    }

    @Override
    public String getWriting() {
        return session.recordingState().writing().wireName();
    }

    @Override
    public int getSuspectCount() {
        return session.suspectCount();
    }

    @Override
    public int getVerdictCode() {
        return ReportMetrics.verdictCode(session.latestReport());
    }

    @Override
    public double getWorstGrowthBytesPerMinute() {
        return ReportMetrics.worstGrowthBytesPerMinute(session.latestReport());
    }

    @Override
    public double getMinutesToHeapExhaustion() {
        return ReportMetrics.minutesToHeapExhaustion(session.latestReport());
    }

    @Override
    public double getSnapshotOverheadPercent() {
        return session.snapshotOverheadFraction() * 100;
    }

    @Override
    public long getAgentErrors() {
        return session.agentErrors();
    }

    @Override
    public String getStatus() {
        return session.status();
    }

    @Override
    public String getHolders() {
        return session.holdersStatus();
    }

    @Override
    public String findHolders() {
        return session.searchHoldersNow();
    }

    @Override
    public String takeSnapshot() {
        return session.takeSnapshotNow();
    }

    @Override
    public String refreshReport() {
        return session.refreshReportNow();
    }

    @Override
    public String stop() {
        return session.stop();
    }
}
