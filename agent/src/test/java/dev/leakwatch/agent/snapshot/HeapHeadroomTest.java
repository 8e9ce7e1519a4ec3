package dev.leakwatch.agent.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HeapHeadroomTest {
    private static final long MB = 1L << 20;

    private final AtomicLong free = new AtomicLong(100 * MB);
    private final HeapHeadroom headroom = new HeapHeadroom(free::get);

    @Test
    void beforeAnySnapshotWasMeasuredItAsksForTheLeastRoom() {
        assertEquals(HeapHeadroom.MIN_ROOM_BYTES, headroom.roomNeeded());
        free.set(HeapHeadroom.MIN_ROOM_BYTES);
        assertTrue(headroom.hasRoom());
        free.set(HeapHeadroom.MIN_ROOM_BYTES - 1);
        assertFalse(headroom.hasRoom());
        assertFalse(headroom.check());
    }

    @Test
    void itAsksForTwiceTheLargestOfTheRecentSnapshots() {
        headroom.snapshotAllocated(10 * MB);
        headroom.snapshotAllocated(3 * MB);
        headroom.snapshotAllocated(-1); // unknown: ignored

        assertEquals(20 * MB, headroom.roomNeeded());
        free.set(19 * MB);
        assertFalse(headroom.hasRoom());
        free.set(20 * MB);
        assertTrue(headroom.hasRoom());

        for (int i = 0; i < 8; i++) {
            headroom.snapshotAllocated(3 * MB);
        }
        assertEquals(6 * MB, headroom.roomNeeded(), "the large one has left the recent ones");
    }

    /**
     * The figures date from the latest collection and the application fills the heap on: room lost between checks is
     * asked for on top (a 64 MB heap filling at 2 MB/s ran out during a snapshot that found 4 MB free).
     */
    @Test
    void roomLostBetweenChecksIsAskedForOnTop() {
        free.set(20 * MB);
        assertTrue(headroom.check());
        free.set(17 * MB);
        assertTrue(headroom.check());
        assertEquals(HeapHeadroom.MIN_ROOM_BYTES + 3 * MB, headroom.roomNeeded());

        free.set(6 * MB);
        assertFalse(headroom.check(), "lost 11 MB since the last check: 6 MB free is not enough");
        free.set(30 * MB);
        assertTrue(headroom.check(), "room that comes back is not a loss");
        assertEquals(HeapHeadroom.MIN_ROOM_BYTES + 11 * MB, headroom.roomNeeded());
    }

    @Test
    void figuresThatCannotBeReadStopNothingUnlessTheHeapIsOutOfRoom() {
        HeapHeadroom broken = new HeapHeadroom(() -> {
            throw new UnsupportedOperationException("no pools");
        });
        assertTrue(broken.hasRoom());
        assertTrue(broken.check());

        HeapHeadroom full = new HeapHeadroom(() -> {
            throw new OutOfMemoryError("Java heap space");
        });
        assertFalse(full.hasRoom());
        assertFalse(full.check());
    }

    @Test
    void thisJvmsFiguresAreThere() {
        assertTrue(new HeapHeadroom().freeAfterCollection() > 0);
        assertTrue(HeapHeadroom.allocatedByThisThread() > 0, "HotSpot counts a thread's allocations");
    }
}
