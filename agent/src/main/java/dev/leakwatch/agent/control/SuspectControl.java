package dev.leakwatch.agent.control;

import dev.leakwatch.format.report.AllocationSite;
import dev.leakwatch.format.report.Suspect;

/**
 * The {@link SuspectControlMBean} of one fingerprint: it answers with the newest report's figures for that suspect,
 * replaced at each report by {@link SuspectBeans}. A JMX caller's thread reads it while the report's thread replaces
 * it: one volatile record, read once per call.
 */
final class SuspectControl implements SuspectControlMBean {
    private volatile Suspect suspect;

    SuspectControl(Suspect suspect) {
        this.suspect = suspect;
    }

    void update(Suspect newest) {
        suspect = newest;
    }

    @Override
    public String getClassName() {
        return suspect.className();
    }

    @Override
    public String getFingerprint() {
        return suspect.fingerprint();
    }

    @Override
    public int getRank() {
        return suspect.rank();
    }

    @Override
    public double getConfidence() {
        return suspect.confidence();
    }

    @Override
    public double getGrowthBytesPerMinute() {
        return suspect.growthBytesPerMinute();
    }

    @Override
    public long getLiveBytes() {
        return suspect.liveBytes();
    }

    @Override
    public long getLiveInstances() {
        return suspect.liveInstances();
    }

    @Override
    public String getFirstSeenGrowing() {
        return suspect.firstSeenGrowing();
    }

    @Override
    public String getTopAllocationSite() {
        Suspect current = suspect;
        if (current.allocationSites().isEmpty()) {
            return "";
        }
        AllocationSite top = current.allocationSites().get(0);
        return top.frames().isEmpty() ? "" : top.keyFrame() + ": " + String.join(", ", top.allocatedTypes());
    }
}
