package dev.leakwatch.agent.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leakwatch.agent.snapshot.BudgetPacer.Pace;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BudgetPacerTest {
    private static final Duration INTERVAL = Duration.ofMillis(100);

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);

    @Test
    void theIntervalStandsWhileTicksStayWithinTheBudget() {
        BudgetPacer pacer = pacer(0.01);

        pacer.next(millis(500)); // the first tick does not set the pace
        Pace pace = pacer.next(millis(1));

        assertEquals(new Pace(INTERVAL.toNanos(), Optional.empty()), pace);
        assertEquals(
                new Pace(INTERVAL.toNanos(), Optional.empty()), pacer.next(millis(1)), "1 ms is exactly 1% of 100 ms");
        assertEquals(INTERVAL, pacer.effectiveInterval());
    }

    @Test
    void aSlowTickStretchesTheIntervalSoThatTicksStayWithinTheBudget() {
        BudgetPacer pacer = pacer(0.0001);
        pacer.next(millis(5));

        Pace stretched = pacer.next(millis(5));

        assertEquals(Duration.ofSeconds(50).toNanos(), stretched.delayNanos(), "5 ms is 0.01% of 50 s");
        assertEquals(
                Optional.of("a snapshot took 5 ms, more than the budget of 0.01% of the 100 ms interval:"
                        + " snapshots are 50000 ms apart while they stay that slow"),
                stretched.firstStretch());
        assertEquals(Duration.ofSeconds(50), pacer.effectiveInterval());

        Pace slower = pacer.next(millis(6));
        assertEquals(Duration.ofSeconds(60).toNanos(), slower.delayNanos());
        assertEquals(Optional.empty(), slower.firstStretch(), "said once");

        assertEquals(new Pace(INTERVAL.toNanos(), Optional.empty()), pacer.next(0), "fast again: the interval again");
        assertEquals(INTERVAL, pacer.effectiveInterval());
    }

    /** The first tick pays one-time costs: at 1%, a first tick of 580 ms would push a 2 s interval to 58 s. */
    @Test
    void theFirstTickDoesNotSetThePace() {
        BudgetPacer pacer = new BudgetPacer(Duration.ofSeconds(2), 0.01, clock::get);

        assertEquals(new Pace(Duration.ofSeconds(2).toNanos(), Optional.empty()), pacer.next(millis(580)));
        assertEquals(Duration.ofSeconds(58).toNanos(), pacer.next(millis(580)).delayNanos(), "the second one does");
    }

    @Test
    void theBudgetLineNamesAWholeBudgetWithoutDecimals() {
        BudgetPacer pacer = pacer(0.5);
        pacer.next(0);

        assertEquals(
                Optional.of("a snapshot took 60 ms, more than the budget of 50% of the 100 ms interval:"
                        + " snapshots are 120 ms apart while they stay that slow"),
                pacer.next(millis(60)).firstStretch());
    }

    @Test
    void anEndlessTickDoesNotOverflowTheDelay() {
        BudgetPacer pacer = pacer(0.0001);
        pacer.next(0);

        long delay = pacer.next(Long.MAX_VALUE).delayNanos();

        assertEquals((long) (Long.MAX_VALUE / 2.0), delay);
    }

    @Test
    void theOverheadIsTheShareOfWallTimeSinceTheStartThatTicksTook() {
        BudgetPacer pacer = pacer(0.01);
        assertEquals(0, pacer.overheadFraction(), "not started");

        pacer.start();
        assertEquals(0, pacer.overheadFraction(), "no wall time yet");
        pacer.account(millis(30));
        pacer.account(millis(10));
        clock.addAndGet(millis(1000));

        assertEquals(0.04, pacer.overheadFraction(), 1e-12);
        assertEquals(40, pacer.totalMillis());
        assertEquals(10, pacer.lastMillis());
        clock.addAndGet(millis(1000));
        assertEquals(0.02, pacer.overheadFraction(), 1e-12);
    }

    @Test
    void ticksAreTimedWithTheGivenClock() {
        BudgetPacer pacer = pacer(0.01);
        long before = pacer.now();
        clock.addAndGet(millis(7));

        assertEquals(millis(7), pacer.now() - before);
    }

    private BudgetPacer pacer(double budget) {
        return new BudgetPacer(INTERVAL, budget, clock::get);
    }

    private static long millis(long millis) {
        return Duration.ofMillis(millis).toNanos();
    }
}
