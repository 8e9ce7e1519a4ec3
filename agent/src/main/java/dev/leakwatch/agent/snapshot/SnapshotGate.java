package dev.leakwatch.agent.snapshot;

import dev.leakwatch.agent.log.AgentLog;

/**
 * Whether a scheduled tick may take a snapshot. Not while writing is paused (a full disk, say: the snapshot would cost
 * a forced GC and be lost), nor while the heap has no room for it ({@link HeapHeadroom}): the schedule goes on asking.
 * Never again once the output directory was refused as unsafe: nothing may be recorded anywhere.
 *
 * <p>A wait for room is logged in one line when it begins and one when it ends. {@link #check()} on the snapshot
 * thread; {@link #isWaitingForRoom()} from any.
 */
final class SnapshotGate {
    enum Verdict {
        TAKE,
        SKIP,
        STOP
    }

    private final SnapshotWriter writer;
    private final HeapHeadroom headroom;
    private final AgentLog log;
    private volatile boolean waitingForRoom;

    SnapshotGate(SnapshotWriter writer, HeapHeadroom headroom, AgentLog log) {
        this.writer = writer;
        this.headroom = headroom;
        this.log = log;
    }

    Verdict check() {
        if (!writer.mayWrite()) {
            // A refused directory said why in one line; a paused writer retries when its back-off has passed.
            return writer.isRefused() ? Verdict.STOP : Verdict.SKIP;
        }
        if (!headroom.check()) {
            waitForRoom();
            return Verdict.SKIP;
        }
        roomAgain();
        return Verdict.TAKE;
    }

    /** True from the first check that found no room for a snapshot to the first that found room again. */
    boolean isWaitingForRoom() {
        return waitingForRoom;
    }

    private void waitForRoom() {
        if (waitingForRoom) {
            return;
        }
        waitingForRoom = true;
        try {
            log.info("the heap is nearly full (" + (headroom.freeAfterCollection() >> 20) + " MB free after the latest"
                    + " collection, a snapshot needs about " + (headroom.roomNeeded() >> 20) + " MB): snapshots wait"
                    + " until a collection leaves room, so that an OutOfMemoryError is the application's own");
        } catch (Throwable e) {
            // not even the line fits: the wait is all that matters
        }
    }

    private void roomAgain() {
        if (waitingForRoom) {
            waitingForRoom = false;
            log.info("the heap has room again: snapshots go on");
        }
    }
}
