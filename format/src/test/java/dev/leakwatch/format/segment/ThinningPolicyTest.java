package dev.leakwatch.format.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ThinningPolicyTest {
    /** A container of point numbers in exactly {@code maxPoints} slots, thinned in place as the policy says. */
    private static final class Points {
        final ThinningPolicy policy;
        final long[] slots;
        final List<String> moves = new ArrayList<>();

        Points(int maxPoints) {
            policy = new ThinningPolicy(maxPoints);
            slots = new long[maxPoints];
        }

        void add(long point) {
            slots[policy.nextSlot()] = point;
            moves.clear();
            policy.accept((from, to) -> {
                moves.add(from + ">" + to);
                slots[to] = slots[from];
            });
        }

        List<Long> held() {
            return Arrays.stream(slots, 0, policy.size()).boxed().toList();
        }
    }

    @Test
    void keepsEveryPointWhileThereIsRoom() {
        Points points = new Points(10);
        for (long i = 0; i < 9; i++) {
            assertEquals(i, points.policy.nextSlot());
            points.add(i);
            assertEquals(List.of(), points.moves);
        }
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), points.held());
        assertEquals(9, points.policy.offered());
    }

    /** The rule itself, point by point, at the smallest size. */
    @Test
    void dropsEverySecondPointWhenFullDoublesTheStrideAndKeepsTheNewest() {
        Points points = new Points(4);
        List<List<Long>> held = new ArrayList<>();
        List<List<String>> moves = new ArrayList<>();
        for (long i = 0; i <= 12; i++) {
            points.add(i);
            held.add(points.held());
            moves.add(List.copyOf(points.moves));
        }
        assertEquals(
                List.of(
                        List.of(0L),
                        List.of(0L, 1L),
                        List.of(0L, 1L, 2L),
                        // Full: 0 and 2 stay, the newest (3) stays provisionally; the stride is now 2.
                        List.of(0L, 2L, 3L),
                        List.of(0L, 2L, 4L),
                        List.of(0L, 2L, 4L, 5L),
                        // Full again: stride 4, and 6 is off it, so it stays only until the next point.
                        List.of(0L, 4L, 6L),
                        List.of(0L, 4L, 7L),
                        List.of(0L, 4L, 8L),
                        List.of(0L, 4L, 8L, 9L),
                        List.of(0L, 4L, 8L, 10L),
                        List.of(0L, 4L, 8L, 11L),
                        // Full with the newest on slot 2 (even): it is kept for good, nothing provisional.
                        List.of(0L, 8L, 12L)),
                held);
        assertEquals(List.of("2>1", "3>2"), moves.get(3));
        assertEquals(List.of("2>1", "3>2"), moves.get(6));
        assertEquals(List.of("2>1", "3>2"), moves.get(12));
        assertEquals(List.of(), moves.get(7), "a provisional point is overwritten, not moved");
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 5, 7, 10, 64})
    void staysBoundedSpansTheRunEvenlyAndMovesOnlyDownward(int maxPoints) {
        Points points = new Points(maxPoints);
        for (long i = 0; i < 3_000; i++) {
            assertTrue(points.policy.nextSlot() < maxPoints, "slot " + points.policy.nextSlot() + " of " + maxPoints);
            points.add(i);
            List<Long> held = points.held();
            assertTrue(held.size() <= maxPoints, held.size() + " points after " + (i + 1));
            assertEquals(0L, held.get(0), "the first point stays");
            assertEquals(i, held.get(held.size() - 1), "the newest is always the last point");
            Set<Long> gaps = new HashSet<>();
            for (int p = 1; p < held.size() - 1; p++) {
                gaps.add(held.get(p) - held.get(p - 1));
            }
            assertTrue(gaps.size() <= 1, "uneven spacing " + held);
            // In place: each move goes to a lower slot, and the targets ascend, so no point is overwritten unread.
            int lastTarget = -1;
            for (String move : points.moves) {
                int from = Integer.parseInt(move.substring(0, move.indexOf('>')));
                int to = Integer.parseInt(move.substring(move.indexOf('>') + 1));
                assertTrue(to < from && to > lastTarget, points.moves.toString());
                lastTarget = to;
            }
        }
        assertEquals(3_000, points.policy.offered());
        assertTrue(points.policy.size() >= maxPoints / 2, "thinned too far");
    }

    @Test
    void refusesFewerThanFourPoints() {
        assertEquals(4, new ThinningPolicy(ThinningPolicy.MIN_POINTS).maxPoints());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ThinningPolicy(3));
        assertTrue(e.getMessage().contains("at least 4"), e.getMessage());
    }
}
