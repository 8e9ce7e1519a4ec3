package dev.leakwatch.analyzer.fleet;

import dev.leakwatch.format.fleet.FleetReport;
import dev.leakwatch.format.report.GaugeFinding;
import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.format.report.Suspect;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups the reports of many recordings (the replicas of a service) by fingerprint, so that one leak reads as one
 * leak however many JVMs show it. Suspects and JVM-level findings are grouped; candidates are not, being below the
 * bar a report stands behind. A report without fingerprints (schema 5 and older) adds its replica and no leak.
 */
public final class FleetGrouping {
    static final String RETAINED_GROWTH = "retained-growth";

    private FleetGrouping() {}

    /** One recording's report under the name the fleet report gives it. */
    public record NamedReport(String name, LeakReport report) {}

    public static FleetReport group(List<NamedReport> reports, Clock clock) {
        List<FleetReport.Replica> replicas = new ArrayList<>();
        Map<String, Builder> leaks = new LinkedHashMap<>();
        for (NamedReport named : reports) {
            LeakReport report = named.report();
            replicas.add(replica(named.name(), report));
            for (Suspect suspect : report.suspects()) {
                if (suspect.fingerprint() == null) {
                    continue;
                }
                Builder leak = leaks.computeIfAbsent(
                        suspect.fingerprint(),
                        fingerprint -> new Builder(fingerprint, RETAINED_GROWTH, suspect.className(), "bytes"));
                leak.add(new FleetReport.Sighting(
                        named.name(),
                        suspect.growthBytesPerMinute(),
                        suspect.liveBytes(),
                        suspect.confidence(),
                        suspect.firstSeenGrowing()));
            }
            for (GaugeFinding finding : report.findings()) {
                if (finding.fingerprint() == null) {
                    continue;
                }
                Builder leak = leaks.computeIfAbsent(
                        finding.fingerprint(),
                        fingerprint -> new Builder(fingerprint, finding.kind(), finding.kind(), finding.unit()));
                leak.add(new FleetReport.Sighting(
                        named.name(),
                        finding.growthPerMinute(),
                        finding.current(),
                        finding.confidence(),
                        report.snapshots() == null ? null : report.snapshots().first()));
            }
        }
        List<FleetReport.Leak> grouped = new ArrayList<>();
        for (Builder leak : leaks.values()) {
            grouped.add(leak.build());
        }
        grouped.sort(Comparator.comparingInt(
                        (FleetReport.Leak leak) -> leak.sightings().size())
                .reversed()
                .thenComparing(
                        Comparator.comparingDouble(FleetGrouping::fastest).reversed())
                .thenComparing(FleetReport.Leak::fingerprint));
        return new FleetReport(FleetReport.SCHEMA_VERSION, Instant.now(clock).toString(), replicas, grouped);
    }

    private static FleetReport.Replica replica(String name, LeakReport report) {
        return new FleetReport.Replica(
                name,
                report.verdict() == null ? null : report.verdict().wireName(),
                report.snapshots() == null ? null : report.snapshots().pid(),
                report.snapshots() == null ? null : report.snapshots().first(),
                report.snapshots() == null ? null : report.snapshots().last(),
                report.suspects().size());
    }

    private static double fastest(FleetReport.Leak leak) {
        double fastest = 0;
        for (FleetReport.Sighting sighting : leak.sightings()) {
            fastest = Math.max(fastest, sighting.growthPerMinute());
        }
        return fastest;
    }

    /** Compares as instants; as text (ISO-8601 sorts by time) should one not parse. */
    private static boolean earlier(String time, String than) {
        try {
            return Instant.parse(time).isBefore(Instant.parse(than));
        } catch (DateTimeParseException e) {
            return time.compareTo(than) < 0;
        }
    }

    /** A leak while replicas are added; a replica that shows one fingerprint twice counts once, its first. */
    private static final class Builder {
        private final String fingerprint;
        private final String kind;
        private final String name;
        private final String unit;
        private final List<FleetReport.Sighting> sightings = new ArrayList<>();

        Builder(String fingerprint, String kind, String name, String unit) {
            this.fingerprint = fingerprint;
            this.kind = kind;
            this.name = name;
            this.unit = unit;
        }

        void add(FleetReport.Sighting sighting) {
            for (FleetReport.Sighting seen : sightings) {
                if (seen.replica().equals(sighting.replica())) {
                    return;
                }
            }
            sightings.add(sighting);
        }

        FleetReport.Leak build() {
            String firstSeen = null;
            for (FleetReport.Sighting sighting : sightings) {
                if (sighting.firstSeen() != null && (firstSeen == null || earlier(sighting.firstSeen(), firstSeen))) {
                    firstSeen = sighting.firstSeen();
                }
            }
            return new FleetReport.Leak(fingerprint, kind, name, unit, firstSeen, sightings);
        }
    }
}
