package dev.leakwatch.agent.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.agent.snapshot.SnapshotAssembler.Assembled;
import dev.leakwatch.agent.snapshot.TestSnapshots.CapturedLog;
import dev.leakwatch.format.model.AllocationStats;
import dev.leakwatch.format.model.ClassCount;
import dev.leakwatch.format.model.HistogramKind;
import dev.leakwatch.format.model.Snapshot;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanServer;
import org.junit.jupiter.api.Test;

class SnapshotAssemblerTest {
    private static final String HISTOGRAM_TEXT = """
             num     #instances         #bytes  class name (module)
            -------------------------------------------------------
               1:            10            160  com.example.Leaky
               2:             5             80  [B (java.base@17.0.15)
            Total            15            240
            """;
    private static final long HISTOGRAM_PAUSE = Duration.ofMillis(40).toNanos();
    private static final List<ClassCount> OWNED = List.of(new ClassCount("com.example.Leaky", 1, 16));
    private static final AllocationStats ALLOCATIONS = new AllocationStats(256, 3, 1024, 0, List.of());

    private final CapturedLog captured = new CapturedLog();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final AtomicLong clock = new AtomicLong();
    private final AtomicLong histogramsToFail = new AtomicLong();

    /**
     * What the agent names as its own is what the histogram counted: the hook that lets its threads note where they
     * stand runs before the histogram, and the naming after it (AgentFootprintIT failed when the note came after).
     */
    @Test
    void thePartsAreReadInOrder() throws Exception {
        SnapshotAssembler assembler = assembler();
        assembler.setBeforeHistogram(() -> events.add("hook"));
        assembler.setAllocationSource(() -> {
            events.add("allocations");
            return Optional.of(ALLOCATIONS);
        });
        assembler.setAgentOwnedSource(() -> {
            events.add("agentOwned");
            return OWNED;
        });

        Snapshot snapshot = assembler.take(HistogramKind.LIVE).snapshot();
        assembler.take(HistogramKind.ALL);

        assertEquals(
                List.of(
                        "hook",
                        "histogram",
                        "allocations",
                        "agentOwned",
                        "hook",
                        "histogram",
                        "allocations",
                        "agentOwned"),
                events);
        assertEquals(HistogramKind.LIVE, snapshot.histogram().kind());
        assertEquals(2, snapshot.histogram().size());
        assertEquals(Optional.of(ALLOCATIONS), snapshot.allocations());
        assertEquals(OWNED, snapshot.agentOwned());
        assertTrue(snapshot.gauges().isPresent());
        assertEquals(ProcessHandle.current().pid(), snapshot.pid());
        assertTrue(snapshot.uptimeMillis() > 0);
        assertFalse(snapshot.jvmVersion().isEmpty());
        assertEquals(List.of(), captured.lines());
    }

    @Test
    void theHistogramIsTimedAlone() throws Exception {
        Assembled assembled = assembler().take(HistogramKind.LIVE);

        assertEquals(HISTOGRAM_PAUSE, assembled.histogramNanos());
        assertEquals(40, assembled.snapshot().durationMillis(), "the gauges took no time on this clock");
    }

    @Test
    void withoutSourcesASnapshotHoldsTheHistogramAndGauges() throws Exception {
        Snapshot snapshot = assembler().take(HistogramKind.ALL_AFTER_GC).snapshot();

        assertEquals(HistogramKind.ALL_AFTER_GC, snapshot.histogram().kind());
        assertEquals(Optional.empty(), snapshot.allocations());
        assertEquals(List.of(), snapshot.agentOwned());
    }

    @Test
    void aFailingPartIsLeftOutAndLoggedOnce() throws Exception {
        SnapshotAssembler assembler = assembler();
        assembler.setBeforeHistogram(() -> {
            throw new IllegalStateException("hook bug");
        });
        assembler.setAllocationSource(() -> {
            throw new IllegalStateException("table bug");
        });
        assembler.setAgentOwnedSource(() -> {
            throw new IllegalStateException("footprint bug");
        });

        Snapshot first = assembler.take(HistogramKind.LIVE).snapshot();
        Snapshot second = assembler.take(HistogramKind.LIVE).snapshot();

        assertEquals(Optional.empty(), second.allocations());
        assertEquals(List.of(), second.agentOwned());
        assertEquals(1, second.sequence() - first.sequence());
        assertEquals(
                List.of(
                        "[leakwatch] preparing for the histogram failed: IllegalStateException (hook bug)",
                        "[leakwatch] allocation statistics failed: IllegalStateException (table bug)",
                        "[leakwatch] the agent's own footprint failed: IllegalStateException (footprint bug)"),
                captured.lines());
    }

    @Test
    void aSnapshotWithoutAHistogramFailsAndUsesNoSequenceNumber() throws Exception {
        SnapshotAssembler assembler = assembler();
        histogramsToFail.set(1);

        InstanceNotFoundException failure =
                assertThrows(InstanceNotFoundException.class, () -> assembler.take(HistogramKind.LIVE));

        assertEquals("no diagnostic command here", failure.getMessage());
        assertEquals(0, assembler.take(HistogramKind.LIVE).snapshot().sequence());
        assertEquals(1, assembler.take(HistogramKind.LIVE).snapshot().sequence());
        assertEquals(List.of(), captured.lines(), "the caller logs it");
    }

    /** An assembler whose histograms come from a fake diagnostic command that takes {@link #HISTOGRAM_PAUSE}. */
    private SnapshotAssembler assembler() {
        MBeanServer server = (MBeanServer) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {MBeanServer.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("invoke")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    if (histogramsToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        throw new InstanceNotFoundException("no diagnostic command here");
                    }
                    events.add("histogram");
                    clock.addAndGet(HISTOGRAM_PAUSE);
                    return HISTOGRAM_TEXT;
                });
        return new SnapshotAssembler(
                new HistogramSampler(() -> server),
                new GaugeSampler(),
                new DistinctFailureLog(captured.log),
                clock::get);
    }
}
