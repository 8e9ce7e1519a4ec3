package dev.leakwatch.agent.snapshot;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.leakwatch.agent.snapshot.HistogramPolicy.MajorGcCounter;
import dev.leakwatch.agent.snapshot.TestSnapshots.CapturedLog;
import dev.leakwatch.format.model.HistogramKind;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.management.ListenerNotFoundException;
import javax.management.MBeanNotificationInfo;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationFilter;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class HistogramPolicyTest {
    private static final Duration MAX_PAUSE = Duration.ofMillis(100);
    private static final long FAST = Duration.ofMillis(20).toNanos();
    private static final long SLOW = Duration.ofMillis(250).toNanos();

    private final CapturedLog captured = new CapturedLog();
    private final FakeCollector collector = new FakeCollector();
    private final HistogramPolicy policy = new HistogramPolicy(
            MAX_PAUSE, () -> List.of(collector), captured.log, new DistinctFailureLog(captured.log));

    @Test
    void liveHistogramsUntilTwoInARowPauseLongerThanTheMaximum() {
        assertEquals(HistogramKind.LIVE, policy.nextKind());
        policy.judge(HistogramKind.LIVE, Duration.ofSeconds(2).toNanos()); // the first one is not judged
        assertEquals(HistogramKind.LIVE, policy.nextKind());
        policy.judge(HistogramKind.LIVE, SLOW);
        assertEquals(HistogramKind.LIVE, policy.nextKind());
        assertTrue(policy.isForcingGc());
        assertEquals(List.of(), collector.listeners, "collections are not watched while GCs are forced");

        policy.judge(HistogramKind.LIVE, SLOW);

        assertFalse(policy.isForcingGc());
        assertEquals(HistogramKind.ALL, policy.nextKind());
        assertEquals(
                List.of("[leakwatch] 2 live class histograms in a row paused the JVM for longer than the maximum"
                        + " pause of 100 ms (the last one 250 ms): no more forced GCs, taking all-objects histograms from now"
                        + " on (after a major GC where one ran)"),
                captured.lines());
        assertEquals(1, collector.listeners.size(), "collections are watched from then on");
    }

    @Test
    void oneSlowLiveHistogramDoesNotStopForcedGcs() {
        policy.judge(HistogramKind.LIVE, SLOW);
        for (int i = 0; i < 10; i++) {
            policy.judge(HistogramKind.LIVE, i % 2 == 0 ? SLOW : FAST);
        }
        policy.judge(HistogramKind.LIVE, MAX_PAUSE.toNanos());

        assertTrue(policy.isForcingGc(), "a pause of exactly the maximum is not longer than it");
        assertEquals(HistogramKind.LIVE, policy.nextKind());
        assertEquals(List.of(), captured.lines());
    }

    @Test
    void allObjectsHistogramsAreNotJudged() {
        for (int i = 0; i < 5; i++) {
            policy.judge(HistogramKind.ALL, SLOW);
        }
        policy.judge(HistogramKind.LIVE, SLOW); // the first live one, not judged

        assertTrue(policy.isForcingGc());
    }

    @Test
    void anAllObjectsHistogramAfterAMajorCollectionIsLabelledSo() {
        stopForcingGc();
        MajorGcCounter counter = (MajorGcCounter) collector.listeners.get(0);

        counter.collectionEnded("G1 Young Generation", "end of minor GC");
        assertEquals(HistogramKind.ALL, policy.nextKind(), "a minor collection leaves garbage");

        counter.collectionEnded("G1 Old Generation", "end of major GC");
        counter.collectionEnded("G1 Old Generation", "end of major GC");
        assertEquals(HistogramKind.ALL_AFTER_GC, policy.nextKind(), "one label for any number of them");
        assertEquals(HistogramKind.ALL, policy.nextKind(), "none since the previous histogram");
    }

    @Test
    void aNotificationThatIsNotUnderstoodIsLoggedOnce() {
        stopForcingGc();
        NotificationListener counter = collector.listeners.get(0);

        counter.handleNotification(new Notification("jmx.attribute.change", this, 1), null);
        counter.handleNotification(
                new Notification(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION, this, 2), null);
        counter.handleNotification(
                new Notification(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION, this, 3), null);

        assertEquals(HistogramKind.ALL, policy.nextKind());
        assertEquals(HistogramKind.ALL, policy.nextKind());
        List<String> failures = captured.linesContaining("GC notification not understood");
        assertEquals(1, failures.size(), captured.lines().toString());
        assertEquals(1, captured.log.suppressedErrors());
    }

    @Test
    void closeRemovesTheListenerAndNoneIsAddedAfterIt() {
        stopForcingGc();
        assertEquals(1, collector.listeners.size());

        policy.close();
        assertEquals(List.of(), collector.listeners);

        HistogramPolicy closedFirst = new HistogramPolicy(
                Duration.ZERO, () -> List.of(collector), captured.log, new DistinctFailureLog(captured.log));
        closedFirst.close();
        for (int i = 0; i < 3; i++) {
            closedFirst.judge(HistogramKind.LIVE, SLOW);
        }
        assertFalse(closedFirst.isForcingGc());
        assertEquals(List.of(), collector.listeners, "a stopped recording watches nothing");
    }

    /** The one test on this JVM's own collectors: their notifications must be read as the fakes above are. */
    @Test
    void thisJvmsCollectorsReportAnExplicitGcAsMajor() {
        HistogramPolicy real = new HistogramPolicy(
                Duration.ZERO,
                ManagementFactory::getGarbageCollectorMXBeans,
                captured.log,
                new DistinctFailureLog(captured.log));
        try {
            for (int i = 0; i < HistogramPolicy.PAUSES_OVER_LIMIT + 1; i++) {
                real.judge(HistogramKind.LIVE, 1);
            }
            assertFalse(real.isForcingGc());

            await().atMost(Duration.ofSeconds(10)).until(() -> {
                System.gc();
                return real.nextKind() == HistogramKind.ALL_AFTER_GC;
            });
            assertEquals(0, captured.log.suppressedErrors(), captured.lines().toString());
        } finally {
            real.close();
        }
    }

    @Test
    void majorCollectionsAreOldGenerationOrWholeHeapCycles() {
        assertTrue(MajorGcCounter.isMajor("G1 Old Generation", "end of major GC"));
        assertTrue(MajorGcCounter.isMajor("PS MarkSweep", "end of major GC"));
        assertTrue(MajorGcCounter.isMajor("ZGC Cycles", "end of GC cycle"));
        assertTrue(MajorGcCounter.isMajor("ZGC Major Cycles", "end of GC cycle"));
        assertTrue(MajorGcCounter.isMajor("Shenandoah Cycles", "end of GC cycle"));
        assertFalse(MajorGcCounter.isMajor("ZGC Minor Cycles", "end of GC cycle"));
        assertFalse(MajorGcCounter.isMajor("G1 Young Generation", "end of minor GC"));
        assertFalse(MajorGcCounter.isMajor("ZGC Pauses", "end of GC pause"));
    }

    private void stopForcingGc() {
        for (int i = 0; i < HistogramPolicy.PAUSES_OVER_LIMIT + 1; i++) {
            policy.judge(HistogramKind.LIVE, SLOW);
        }
        assertFalse(policy.isForcingGc());
    }

    /** A collector that keeps the listeners added to it, for the test to call. */
    private static final class FakeCollector implements GarbageCollectorMXBean, NotificationEmitter {
        final List<NotificationListener> listeners = new CopyOnWriteArrayList<>();

        @Override
        public void addNotificationListener(NotificationListener listener, NotificationFilter filter, Object handback) {
            listeners.add(listener);
        }

        @Override
        public void removeNotificationListener(NotificationListener listener) throws ListenerNotFoundException {
            if (!listeners.remove(listener)) {
                throw new ListenerNotFoundException();
            }
        }

        @Override
        public void removeNotificationListener(
                NotificationListener listener, NotificationFilter filter, Object handback)
                throws ListenerNotFoundException {
            removeNotificationListener(listener);
        }

        @Override
        public MBeanNotificationInfo[] getNotificationInfo() {
            return new MBeanNotificationInfo[0];
        }

        @Override
        public long getCollectionCount() {
            return 0;
        }

        @Override
        public long getCollectionTime() {
            return 0;
        }

        @Override
        public String getName() {
            return "Fake";
        }

        @Override
        public boolean isValid() {
            return true;
        }

        @Override
        public String[] getMemoryPoolNames() {
            return new String[0];
        }

        @Override
        public ObjectName getObjectName() {
            return null;
        }
    }
}
