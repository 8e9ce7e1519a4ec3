package dev.leakwatch.format.segment;

import java.util.Map;
import java.util.TreeMap;

/**
 * The sequence numbers seen in one JVM run, to drop a record seen twice. Held as ranges: a run numbers its snapshots
 * 0, 1, 2... so a long recording needs one range, not one entry per record.
 */
final class SequenceSet {
    private final TreeMap<Long, Long> ranges = new TreeMap<>(); // first -> last, disjoint and not adjacent

    /** Adds {@code sequence}; false when it was there already. */
    boolean add(long sequence) {
        Map.Entry<Long, Long> below = ranges.floorEntry(sequence);
        if (below != null && below.getValue() >= sequence) {
            return false;
        }
        long first = sequence;
        long last = sequence;
        if (below != null && below.getValue() == sequence - 1) {
            first = below.getKey();
        }
        Long next = sequence == Long.MAX_VALUE ? null : ranges.get(sequence + 1);
        if (next != null) {
            ranges.remove(sequence + 1);
            last = next;
        }
        ranges.put(first, last);
        return true;
    }
}
