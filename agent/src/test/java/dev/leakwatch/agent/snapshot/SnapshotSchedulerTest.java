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
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
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

/**
 * The scheduler on its thread, with real histograms and a real writer: what it decides is tested without a thread in
 * {@link BudgetPacerTest}, {@link HistogramPolicyTest}, {@link SnapshotAssemblerTest}, {@link SnapshotGateTest} and
 * {@link DistinctFailureLogTest}. These tests wait for conditions, never for a time.
 */
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
    void takesSavesAndPublishesSnapshotsOnItsThreadUntilStopped() throws Exception {
        AtomicInteger histogramsToFail = new AtomicInteger(3);
        MBeanServer platform = ManagementFactory.getPlatformMBeanServer();
        MBeanServer failingAtFirst = (MBeanServer) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {MBeanServer.class}, (proxy, method, args) -> {
                    if (method.getName().equals("invoke") && histogramsToFail.getAndDecrement() > 0) {
                        throw new InstanceNotFoundException("no diagnostic command here");
                    }
                    try {
                        return method.invoke(platform, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        SnapshotSettings settings = new SnapshotSettings(dir, INTERVAL, 1.0, Duration.ofSeconds(30), DISK);
        scheduler = new SnapshotScheduler(
                settings,
                new SnapshotWriter(settings, directory(), captured.log),
                new HistogramSampler(() -> failingAtFirst),
                new GaugeSampler(),
                captured.log);
        AtomicInteger failingListenerCalls = new AtomicInteger();
        scheduler.addListener(snapshot -> {
            failingListenerCalls.incrementAndGet();
            throw new IllegalStateException("listener bug");
        });
        List<String> threads = new CopyOnWriteArrayList<>();
        scheduler.addListener(snapshot -> threads.add(Thread.currentThread().getName()));
        scheduler.addListener(received::add);

        assertTrue(scheduler.start());
        await().atMost(PATIENCE).until(() -> received.size() >= 3);

        Snapshot first = received.get(0);
        assertEquals(0, first.sequence(), "the failed ticks used no sequence number");
        assertEquals(1, received.get(1).sequence());
        assertEquals(HistogramKind.LIVE, first.histogram().kind());
        assertTrue(first.gauges().isPresent());
        assertTrue(scheduler.snapshotsTaken() >= 3);
        assertTrue(TestSnapshots.readAll(dir).size() >= 3, "saved before the listeners were called");
        assertTrue(
                scheduler.overheadFraction() > 0 && scheduler.overheadFraction() <= 1,
                "overhead " + scheduler.overheadFraction());
        assertTrue(scheduler.totalSnapshotMillis() >= scheduler.lastDurationMillis());
        assertTrue(scheduler.isForcingGc());
        assertTrue(failingListenerCalls.get() >= 3);
        assertEquals(
                List.of("[leakwatch] snapshot failed: InstanceNotFoundException (no diagnostic command here)"),
                captured.linesContaining("no diagnostic command here"),
                "three failures, one line");
        assertEquals(
                1,
                captured.linesContaining("failed: IllegalStateException (listener bug)")
                        .size(),
                captured.lines().toString());

        Snapshot requested = scheduler.takeSnapshotNow().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertTrue(received.contains(requested), "published like any other");
        assertEquals(
                List.of(SnapshotScheduler.THREAD_NAME),
                threads.stream().distinct().toList());

        assertTrue(scheduler.stop(Duration.ofSeconds(5)));
        await().atMost(PATIENCE).until(() -> !snapshotThreadAlive());
        ExecutionException refused = assertThrows(
                ExecutionException.class,
                () -> scheduler.takeSnapshotNow().get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        assertTrue(refused.getCause() instanceof IllegalStateException);
        assertFalse(scheduler.start(), "a stopped scheduler stays stopped");
    }

    /** The wait itself, and its lines, are {@link SnapshotGateTest}'s: here, that the schedule honours it. */
    @Test
    void noScheduledSnapshotIsTakenWhileTheHeapHasNoRoomForIt() {
        AtomicLong free = new AtomicLong(0);
        SnapshotSettings settings = new SnapshotSettings(dir, INTERVAL, 1.0, Duration.ofSeconds(30), DISK);
        scheduler = new SnapshotScheduler(
                settings,
                new SnapshotWriter(settings, directory(), captured.log),
                new HistogramSampler(),
                new GaugeSampler(),
                captured.log,
                new HeapHeadroom(free::get));
        scheduler.addListener(received::add);
        assertTrue(scheduler.start());

        await().atMost(PATIENCE).until(scheduler::isWaitingForRoom);
        assertEquals(0, scheduler.snapshotsTaken());
        assertFalse(scheduler.heapHasRoom());

        free.set(Long.MAX_VALUE);
        await().atMost(PATIENCE).until(() -> received.size() >= 2);
        assertFalse(scheduler.isWaitingForRoom());
        assertTrue(scheduler.heapHasRoom());
        assertEquals(
                1,
                captured.linesContaining("the heap has room again").size(),
                captured.lines().toString());
        assertEquals(0, captured.log.suppressedErrors(), captured.lines().toString());
    }

    private OutputDirectory directory() {
        return new OutputDirectory(dir, PrivateDirectory.OWNER_ONLY, captured.log);
    }

    private static boolean snapshotThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().equals(SnapshotScheduler.THREAD_NAME) && thread.isAlive());
    }
}
