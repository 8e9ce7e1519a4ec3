package dev.leakwatch.agent.snapshot;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.leakwatch.agent.log.AgentLog;
import dev.leakwatch.format.model.HistogramKind;
import java.lang.management.GarbageCollectorMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Chooses the kind of each histogram, keeping the pause a forced GC causes under {@code maxPause}.
 *
 * <p>A live histogram forces a full GC. When they pause longer than {@code maxPause} (see {@link #judge}), the policy
 * stops forcing GCs for the rest of the run: all-objects histograms follow, labelled
 * {@link HistogramKind#ALL_AFTER_GC} when a major collection ended since the previous snapshot (so little garbage is
 * counted), else {@link HistogramKind#ALL}. Collections are watched through GC notifications, from then on only, by
 * a listener that only counts; the work stays on the snapshot thread.
 *
 * <p>{@link #nextKind()} and {@link #judge} on the snapshot thread; {@link #close()} and {@link #isForcingGc()} from
 * any.
 */
final class HistogramPolicy {
    static final int PAUSES_OVER_LIMIT = 2;

    private final Duration maxPause;
    private final Supplier<List<GarbageCollectorMXBean>> collectors;
    private final AgentLog log;
    private final DistinctFailureLog failures;
    private final MajorGcCounter majorGcs = new MajorGcCounter();

    private volatile boolean forcingGc = true;

    // Snapshot thread only.
    private long liveHistograms;
    private int pausesOverLimit;
    private long majorGcsSeen;

    // Guarded by watched.
    private final List<NotificationEmitter> watched = new ArrayList<>();
    private boolean closed;

    /**
     * @param collectors the collectors to watch once GCs are no longer forced, looked up then;
     *                   {@code ManagementFactory::getGarbageCollectorMXBeans} outside tests
     */
    HistogramPolicy(
            Duration maxPause,
            Supplier<List<GarbageCollectorMXBean>> collectors,
            AgentLog log,
            DistinctFailureLog failures) {
        this.maxPause = maxPause;
        this.collectors = collectors;
        this.log = log;
        this.failures = failures;
    }

    /** The kind of the next histogram. */
    HistogramKind nextKind() {
        Throwable failure = majorGcs.failure;
        if (failure != null) {
            failures.reportOnce("GC notification not understood", failure);
        }
        if (forcingGc) {
            return HistogramKind.LIVE;
        }
        long majors = majorGcs.count();
        if (majors != majorGcsSeen) {
            majorGcsSeen = majors;
            return HistogramKind.ALL_AFTER_GC;
        }
        return HistogramKind.ALL;
    }

    /**
     * Told how long a histogram of {@code kind} took. Gives up forced GCs after {@link #PAUSES_OVER_LIMIT} live
     * histograms in a row paused longer than {@code maxPause}, the first live histogram not counted: it pays
     * one-time costs (right after the instrumentation retransformed classes, say) that the next ones do not, and the
     * all-objects histograms that follow a fallback are noisy enough for false alarms, so one slow histogram must not
     * cause it ({@code HistogramPolicyTest.oneSlowLiveHistogramDoesNotStopForcedGcs}).
     */
    void judge(HistogramKind kind, long histogramNanos) {
        if (kind != HistogramKind.LIVE || liveHistograms++ == 0) {
            return;
        }
        pausesOverLimit = histogramNanos > maxPause.toNanos() ? pausesOverLimit + 1 : 0;
        if (pausesOverLimit >= PAUSES_OVER_LIMIT) {
            stopForcingGc(histogramNanos);
        }
    }

    /** False once live histograms paused longer than {@code maxPause} and GCs are no longer forced. */
    boolean isForcingGc() {
        return forcingGc;
    }

    /** Removes the GC listeners, and adds none after this. Never throws. */
    void close() {
        synchronized (watched) {
            closed = true;
            for (NotificationEmitter emitter : watched) {
                try {
                    emitter.removeNotificationListener(majorGcs);
                } catch (Throwable e) {
                    failures.reportOnce("GC listener not removed", e);
                }
            }
            watched.clear();
        }
    }

    private void stopForcingGc(long histogramNanos) {
        forcingGc = false;
        log.info(PAUSES_OVER_LIMIT + " live class histograms in a row paused the JVM for longer than the maximum"
                + " pause of " + maxPause.toMillis() + " ms (the last one "
                + TimeUnit.NANOSECONDS.toMillis(histogramNanos) + " ms): no more forced GCs,"
                + " taking all-objects histograms from now on (after a major GC where one ran)");
        synchronized (watched) {
            if (closed) {
                return;
            }
            majorGcsSeen = majorGcs.count();
            for (GarbageCollectorMXBean collector : collectors.get()) {
                if (collector instanceof NotificationEmitter emitter) {
                    emitter.addNotificationListener(majorGcs, null, null);
                    watched.add(emitter);
                }
            }
        }
    }

    /**
     * Counts major collections as GC notifications report them. It runs on the JDK's notification thread, so it
     * only counts; a failure is kept for the snapshot thread to log.
     */
    static final class MajorGcCounter implements NotificationListener {
        private final AtomicLong majors = new AtomicLong();
        volatile Throwable failure;

        @Override
        public void handleNotification(Notification notification, Object handback) {
            try {
                if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                    return;
                }
                GarbageCollectionNotificationInfo info =
                        GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                collectionEnded(info.getGcName(), info.getGcAction());
            } catch (Throwable e) {
                failure = e;
            }
        }

        void collectionEnded(String gcName, String gcAction) {
            if (isMajor(gcName, gcAction)) {
                majors.incrementAndGet();
            }
        }

        long count() {
            return majors.get();
        }

        /**
         * A collection after which the heap holds little garbage: "end of major GC" (Serial, Parallel, a G1 full
         * GC), or a whole-heap concurrent cycle, which ZGC ("ZGC Cycles") and Shenandoah ("Shenandoah Cycles")
         * report as "end of GC cycle"; generational ZGC's "ZGC Minor Cycles" are young only and do not count.
         * G1's mixed collections report "end of minor GC" and do not count either: kept simple on purpose.
         */
        static boolean isMajor(String gcName, String gcAction) {
            return gcAction.contains("major") || gcAction.equals("end of GC cycle") && !gcName.contains("Minor");
        }
    }
}
