package dev.leakwatch.agent.control;

import dev.leakwatch.agent.holders.RetentionMonitor;
import dev.leakwatch.format.model.Snapshot;
import dev.leakwatch.format.report.AllocationSite;
import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.format.report.RetentionChain;
import dev.leakwatch.format.report.Suspect;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * leakwatch's findings as JFR events, so that a recording opened in JDK Mission Control shows them on the same time
 * line as GC and allocation events. Emitting is free when no recording is running: {@link Event#shouldCommit()} is
 * checked first.
 *
 * <p>Nothing is done before JFR has been initialized (a recording started by a flag, {@code jcmd JFR.start} or the
 * API): the first event object would otherwise initialize JFR's machinery in a host that never asked for it, about
 * 140 classes (annotation proxies, reflection accessors, generated event handlers) and their CPU.
 *
 * <p>Only loaded when the runtime has the {@code jdk.jfr} module ({@link #available()}).
 */
public final class JfrEvents {
    private JfrEvents() {}

    public static boolean available() {
        return ModuleLayer.boot().findModule("jdk.jfr").isPresent();
    }

    public static void snapshotTaken(Snapshot snapshot) {
        if (!FlightRecorder.isInitialized()) {
            return;
        }
        SnapshotEvent event = new SnapshotEvent();
        if (!event.shouldCommit()) {
            return;
        }
        event.sequence = snapshot.sequence();
        event.histogramKind = snapshot.histogram().kind().wireName();
        event.classes = snapshot.histogram().size();
        event.histogramBytes = snapshot.histogram().totalBytes();
        event.snapshotDuration = snapshot.durationMillis() * 1_000_000L;
        event.commit();
    }

    public static void reportRefreshed(LeakReport report) {
        if (!FlightRecorder.isInitialized()) {
            return;
        }
        for (Suspect suspect : report.suspects()) {
            LeakSuspectEvent event = new LeakSuspectEvent();
            if (!event.shouldCommit()) {
                return;
            }
            event.className = suspect.className();
            event.fingerprint = suspect.fingerprint();
            event.rank = suspect.rank();
            event.confidence = suspect.confidence();
            event.growthBytesPerMinute = (long) suspect.growthBytesPerMinute();
            event.liveBytes = suspect.liveBytes();
            event.topSite = suspect.allocationSites().isEmpty()
                            || suspect.allocationSites().get(0).frames().isEmpty()
                    ? null
                    : topSite(suspect.allocationSites().get(0));
            event.commit();
        }
    }

    /** One retention chain a search found, when it found it. */
    public static void retentionChainFound(RetentionMonitor.ChainEvent found) {
        if (!FlightRecorder.isInitialized()) {
            return;
        }
        RetentionChainEvent event = new RetentionChainEvent();
        if (!event.shouldCommit()) {
            return;
        }
        RetentionChain chain = found.chain();
        event.className = found.className();
        event.rootKind = chain.rootKind();
        event.root = chain.root();
        event.chain = String.join(" -> ", chain.chain());
        event.container = chain.container() == null ? null : chain.container().className();
        event.containerField =
                chain.container() == null ? null : chain.container().field();
        event.objects = chain.objects();
        event.passes = found.passes();
        event.longestPause = found.pauseMillis() * 1_000_000L;
        event.commit();
    }

    /**
     * The site's method and what it allocates, as the text report's site lines read: the innermost frame of a site
     * is often the JDK's ({@code HashMap.newNode}) and says neither.
     */
    private static String topSite(AllocationSite site) {
        return site.keyFrame() + ": " + String.join(", ", site.allocatedTypes());
    }

    @Name("leakwatch.Snapshot")
    @Label("Leakwatch Snapshot")
    @Category("leakwatch")
    @Description("A class histogram and JVM gauges taken by the leakwatch agent")
    @StackTrace(false)
    static final class SnapshotEvent extends Event {
        @Label("Sequence")
        long sequence;

        @Label("Histogram Kind")
        String histogramKind;

        @Label("Classes")
        int classes;

        @Label("Histogram Bytes")
        @DataAmount
        long histogramBytes;

        @Label("Snapshot Duration")
        @Timespan(Timespan.NANOSECONDS)
        long snapshotDuration;
    }

    @Name("leakwatch.RetentionChain")
    @Label("Leakwatch Retention Chain")
    @Category("leakwatch")
    @Description("Who holds a leak suspect: a reference chain from a GC root to its objects, found by leakwatch")
    @StackTrace(false)
    static final class RetentionChainEvent extends Event {
        @Label("Class")
        String className;

        @Label("Root Kind")
        String rootKind;

        @Label("Root")
        String root;

        @Label("Chain")
        String chain;

        @Label("Growing Container")
        String container;

        @Label("Container Field")
        String containerField;

        @Label("Objects")
        int objects;

        @Label("Heap Walk Passes")
        int passes;

        @Label("Longest Pause")
        @Timespan(Timespan.NANOSECONDS)
        long longestPause;
    }

    @Name("leakwatch.LeakSuspect")
    @Label("Leakwatch Leak Suspect")
    @Category("leakwatch")
    @Description("A class whose retained bytes keep growing, as of the newest leakwatch report")
    @StackTrace(false)
    static final class LeakSuspectEvent extends Event {
        @Label("Class")
        String className;

        @Label("Fingerprint")
        @Description("The same for this leak in every JVM and after a restart")
        String fingerprint;

        @Label("Rank")
        int rank;

        @Label("Confidence")
        double confidence;

        @Label("Growth per Minute")
        @DataAmount
        long growthBytesPerMinute;

        @Label("Live Bytes")
        @DataAmount
        long liveBytes;

        @Label("Top Allocation Site")
        String topSite;
    }
}
