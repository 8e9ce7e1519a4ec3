package dev.leakwatch.format.fleet;

import java.util.List;

/**
 * Many recordings analysed together ({@code leakwatch analyze DIR1 DIR2 ...}): each leak once, by its fingerprint,
 * with the recordings (replicas) where it appears. Field names are the JSON names of {@code docs/formats.md},
 * "Fleet report"; changing one is a schema change ({@link #SCHEMA_VERSION}).
 *
 * @param replicas every recording analysed, in the order given
 * @param leaks    each fingerprint once: the ones found in the most replicas first, then the fastest growing
 */
public record FleetReport(int schemaVersion, String generatedAt, List<Replica> replicas, List<Leak> leaks) {
    /** Version of the fleet report schema this build writes. */
    public static final int SCHEMA_VERSION = 1;

    public FleetReport {
        replicas = List.copyOf(replicas);
        leaks = List.copyOf(leaks);
    }

    /**
     * One recording.
     *
     * @param name     how the recording is named in {@link Sighting#replica()}: the path as given, or the
     *                 sub-directory's name when a directory of recordings was given
     * @param verdict  its own report's verdict, by wire name
     * @param pid      the recorded JVM's process id, null when the recording does not say
     * @param first    its first snapshot, ISO-8601; null without snapshots
     * @param last     its newest snapshot
     * @param suspects its report's suspect count
     */
    public record Replica(String name, String verdict, Long pid, String first, String last, int suspects) {}

    /**
     * One leak, as many replicas as show it.
     *
     * @param fingerprint the leak's fingerprint, the same in every replica
     * @param kind        {@code retained-growth} for a suspect, else the JVM-level finding's kind
     *                    ({@code class-loading}, {@code threads}, {@code direct-memory})
     * @param name        the suspect's leading class, or the finding's kind
     * @param unit        what {@link Sighting#growthPerMinute()} counts: {@code bytes} for a suspect, the finding's
     *                    unit otherwise
     * @param firstSeen   the earliest time any replica saw it grow (ISO-8601), null when none says
     * @param sightings   one per replica where it appears, in the order of {@link FleetReport#replicas()}
     */
    public record Leak(
            String fingerprint, String kind, String name, String unit, String firstSeen, List<Sighting> sightings) {
        public Leak {
            sightings = List.copyOf(sightings);
        }
    }

    /**
     * The leak in one replica.
     *
     * @param replica         the replica's {@link Replica#name()}
     * @param growthPerMinute its growth there, in the leak's unit
     * @param current         its size there now, in the leak's unit (a suspect's live bytes)
     * @param confidence      0..1
     * @param firstSeen       when that replica saw it start to grow, null when it does not say
     */
    public record Sighting(
            String replica, double growthPerMinute, double current, double confidence, String firstSeen) {}
}
