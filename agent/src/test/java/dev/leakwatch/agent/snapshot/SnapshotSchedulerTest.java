package dev.leakwatch.agent.snapshot;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.agent.snapshot.TestSnapshots.CapturedLog;
import dev.leakwatch.format.PrivateDirectory;
import dev.leakwatch.format.model.HistogramKind;
import dev.leakwatch.format.model.Snapshot;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotSchedulerTest {
    private static final Duration INTERVAL = Duration.ofMillis(100);
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final long DISK = 64L * 1024 * 1024;

    @TempDir
    Path dir;

    private final CapturedLog captured = new CapturedLog();
    private final List<Snapshot> received = new CopyOnWriteArrayList<>();
    private SnapshotScheduler scheduler;

    @AfterEach
    void stopScheduler() {
        if (scheduler != null) {
            scheduler.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void takesSnapshotsSavesThemAndCallsListeners() throws Exception {
        scheduler = new SnapshotScheduler(settings(1.0, Duration.ofSeconds(30)), directory(), captured.log);
        AtomicInteger failingListenerCalls = new AtomicInteger();
        scheduler.addListener(snapshot -> {
            failingListenerCalls.incrementAndGet();
            throw new IllegalStateException("listener bug");
        });
        scheduler.addListener(received::add);

        assertTrue(scheduler.start());
        await().atMost(PATIENCE).until(() -> received.size() >= 3);

        Snapshot first = received.get(0);
        assertEquals(0, first.sequence());
        assertEquals(1, received.get(1).sequence());
        assertEquals(HistogramKind.LIVE, first.histogram().kind());
        assertEquals(ProcessHandle.current().pid(), first.pid());
        assertTrue(first.uptimeMillis() > 0);
        assertFalse(first.jvmVersion().isEmpty());
        assertTrue(first.gauges().isPresent());
        assertTrue(scheduler.snapshotsTaken() >= 3);
        await().atMost(PATIENCE).until(() -> scheduler.writer().recordsWritten() >= 3);
        assertTrue(TestSnapshots.readAll(dir).size() >= 3);
        assertTrue(scheduler.overheadFraction() > 0 && scheduler.overheadFraction() <= 1,
                "overhead " + scheduler.overheadFraction());
        assertTrue(failingListenerCalls.get() >= 3);
        assertEquals(1, captured.linesContaining("listener bug").size(), "logged once: " + captured.lines());
    }

    @Test
    void aTinyBudgetStretchesTheInterval() {
        scheduler = new SnapshotScheduler(settings(0.0001, Duration.ofSeconds(30)), directory(), captured.log);
        assertTrue(scheduler.start());

        await().atMost(PATIENCE).until(() -> scheduler.effectiveInterval().compareTo(INTERVAL.multipliedBy(10)) > 0);

        // The first snapshot's one-time costs do not set the pace; the second one's do.
        assertEquals(2, scheduler.snapshotsTaken(), "the next one is far away");
        assertTrue(scheduler.totalSnapshotMillis() >= scheduler.lastDurationMillis());
        assertEquals(1, captured.linesContaining("budget").size(), captured.lines().toString());
    }

    @Test
    void aLiveHistogramPausingTooLongSwitchesToAllObjectHistograms() {
        scheduler = new SnapshotScheduler(settings(1.0, Duration.ZERO), directory(), captured.log);
        scheduler.addListener(received::add);
        assertTrue(scheduler.start());

        int live = SnapshotScheduler.PAUSES_OVER_LIMIT + 1;
        await().atMost(PATIENCE).until(() -> received.size() >= live + 1);

        // The first one pays one-time costs and is not judged; then PAUSES_OVER_LIMIT in a row over the limit.
        assertTrue(received.stream().limit(live).allMatch(s -> s.histogram().kind() == HistogramKind.LIVE));
        assertTrue(received.stream().skip(live).noneMatch(s -> s.histogram().kind() == HistogramKind.LIVE));
        assertFalse(scheduler.isForcingGc());
        assertEquals(1, captured.linesContaining("maximum pause").size(), captured.lines().toString());

        // After a major collection the next histogram is labelled as taken after one.
        await().atMost(PATIENCE).until(() -> {
            System.gc();
            return received.stream().anyMatch(s -> s.histogram().kind() == HistogramKind.ALL_AFTER_GC);
        });
    }

    @Test
    void takeSnapshotNowRunsOnTheSnapshotThread() throws Exception {
        scheduler = new SnapshotScheduler(settings(1.0, Duration.ofSeconds(30), Duration.ofHours(1)), directory(), captured.log);
        List<String> threads = new CopyOnWriteArrayList<>();
        scheduler.addListener(snapshot -> threads.add(Thread.currentThread().getName()));
        assertTrue(scheduler.start());

        Snapshot snapshot = scheduler.takeSnapshotNow().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

        assertTrue(snapshot.histogram().size() > 0);
        assertTrue(threads.contains(SnapshotScheduler.THREAD_NAME), threads.toString());
    }

    @Test
    void stopEndsTheThread() throws Exception {
        scheduler = new SnapshotScheduler(settings(1.0, Duration.ofSeconds(30)), directory(), captured.log);
        assertTrue(scheduler.start());
        await().atMost(PATIENCE).until(() -> scheduler.snapshotsTaken() >= 1);
        assertTrue(snapshotThreadAlive());

        assertTrue(scheduler.stop(Duration.ofSeconds(5)));

        await().atMost(PATIENCE).until(() -> !snapshotThreadAlive());
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> scheduler.takeSnapshotNow().get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        assertTrue(refused.getCause() instanceof IllegalStateException);
        assertFalse(scheduler.start(), "a stopped scheduler stays stopped");
    }

    @Test
    void aFailingTickIsLoggedOnceAndTheScheduleGoesOn() {
        AtomicInteger attempts = new AtomicInteger();
        MBeanServer broken = (MBeanServer) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {MBeanServer.class}, (proxy, method, args) -> {
                    attempts.incrementAndGet();
                    throw new InstanceNotFoundException("no diagnostic command here");
                });
        SnapshotSettings settings = settings(1.0, Duration.ofSeconds(30));
        scheduler = new SnapshotScheduler(settings, new SnapshotWriter(settings, directory(), captured.log),
                new HistogramSampler(() -> broken), new GaugeSampler(), captured.log);
        assertTrue(scheduler.start());

        await().atMost(PATIENCE).until(() -> attempts.get() >= 3);

        assertEquals(0, scheduler.snapshotsTaken());
        assertEquals(1, captured.lines().size(), captured.lines().toString());
        assertTrue(captured.lines().get(0).contains("no diagnostic command here"), captured.lines().get(0));
    }

    /**
     * The agent notes what it holds right before each histogram, so that what it names as its own in the snapshot is
     * at most what the histogram counted (AgentFootprintIT failed when the note came after it).
     */
    @Test
    void theBeforeHistogramHookRunsBeforeEveryHistogram() {
        List<String> events = new CopyOnWriteArrayList<>();
        MBeanServer platform = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        MBeanServer watched = (MBeanServer) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {MBeanServer.class}, (proxy, method, args) -> {
                    if (method.getName().equals("invoke")) {
                        events.add("histogram");
                    }
                    try {
                        return method.invoke(platform, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        SnapshotSettings settings = settings(1.0, Duration.ofSeconds(30));
        scheduler = new SnapshotScheduler(settings, new SnapshotWriter(settings, directory(), captured.log),
                new HistogramSampler(() -> watched), new GaugeSampler(), captured.log);
        scheduler.setBeforeHistogram(() -> events.add("hook"));
        scheduler.addListener(snapshot -> events.add("snapshot"));
        assertTrue(scheduler.start());

        await().atMost(PATIENCE).until(() -> events.stream().filter("snapshot"::equals).count() >= 3);

        List<String> firstThree = List.copyOf(events).subList(0, 9);
        assertEquals(List.of("hook", "histogram", "snapshot", "hook", "histogram", "snapshot", "hook", "histogram",
                "snapshot"), firstThree);
    }

    /**
     * On a nearly full heap a snapshot waits, so that its allocations cannot throw the OutOfMemoryErrors the JVM
     * prints with stack traces (FaultInjectionIT): one line when the wait starts, one when it ends.
     */
    @Test
    void aSnapshotWaitsWhileTheHeapHasNoRoomForIt() {
        AtomicLong free = new AtomicLong(0);
        SnapshotSettings settings = settings(1.0, Duration.ofSeconds(30));
        scheduler = new SnapshotScheduler(settings, new SnapshotWriter(settings, directory(), captured.log),
                new HistogramSampler(), new GaugeSampler(), captured.log, new HeapHeadroom(free::get));
        scheduler.addListener(received::add);
        assertTrue(scheduler.start());

        await().atMost(PATIENCE).until(scheduler::isWaitingForRoom);
        assertEquals(0, scheduler.snapshotsTaken());
        assertEquals(1, captured.linesContaining("the heap is nearly full (0 MB free").size(), captured.lines().toString());

        free.set(Long.MAX_VALUE);
        await().atMost(PATIENCE).until(() -> received.size() >= 2);
        assertFalse(scheduler.isWaitingForRoom());
        assertEquals(1, captured.linesContaining("the heap has room again").size(), captured.lines().toString());
        assertEquals(0, captured.log.suppressedErrors(), captured.lines().toString());
    }

    @Test
    void majorCollectionsAreOldGenerationOrWholeHeapCycles() {
        assertTrue(SnapshotScheduler.MajorGcCounter.isMajor("G1 Old Generation", "end of major GC"));
        assertTrue(SnapshotScheduler.MajorGcCounter.isMajor("PS MarkSweep", "end of major GC"));
        assertTrue(SnapshotScheduler.MajorGcCounter.isMajor("ZGC Cycles", "end of GC cycle"));
        assertTrue(SnapshotScheduler.MajorGcCounter.isMajor("ZGC Major Cycles", "end of GC cycle"));
        assertTrue(SnapshotScheduler.MajorGcCounter.isMajor("Shenandoah Cycles", "end of GC cycle"));
        assertFalse(SnapshotScheduler.MajorGcCounter.isMajor("ZGC Minor Cycles", "end of GC cycle"));
        assertFalse(SnapshotScheduler.MajorGcCounter.isMajor("G1 Young Generation", "end of minor GC"));
        assertFalse(SnapshotScheduler.MajorGcCounter.isMajor("ZGC Pauses", "end of GC pause"));
    }

    private OutputDirectory directory() {
        return new OutputDirectory(dir, PrivateDirectory.OWNER_ONLY, captured.log);
    }

    private SnapshotSettings settings(double budget, Duration maxPause) {
        return settings(budget, maxPause, INTERVAL);
    }

    private SnapshotSettings settings(double budget, Duration maxPause, Duration interval) {
        return new SnapshotSettings(dir, interval, budget, maxPause, DISK);
    }

    private static boolean snapshotThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().equals(SnapshotScheduler.THREAD_NAME) && thread.isAlive());
    }
}
