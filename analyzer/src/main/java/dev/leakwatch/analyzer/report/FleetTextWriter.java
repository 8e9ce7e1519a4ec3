package dev.leakwatch.analyzer.report;

import static dev.leakwatch.analyzer.report.TerminalText.safe;

import dev.leakwatch.format.fleet.FleetReport;
import java.util.Locale;

/**
 * The fleet report for people: each leak once with the replicas where it appears, then the replicas. Every name from a
 * recording (paths, class names) goes through {@link TerminalText}.
 */
public final class FleetTextWriter {

    public String render(FleetReport report) {
        StringBuilder out = new StringBuilder(2048);
        long shared = report.leaks().stream()
                .filter(leak -> leak.sightings().size() > 1)
                .count();
        out.append(String.format(
                Locale.ROOT,
                "leakwatch fleet report: %d %s over %d recordings, %d of them in more than one.\n",
                report.leaks().size(),
                report.leaks().size() == 1 ? "leak" : "leaks",
                report.replicas().size(),
                shared));
        for (FleetReport.Leak leak : report.leaks()) {
            out.append(String.format(
                    Locale.ROOT,
                    "\n%s %s  in %d of %d recordings%s\n",
                    safe(leak.fingerprint()),
                    leak.kind().equals("retained-growth") ? safe(leak.name()) : "[" + safe(leak.kind()) + "]",
                    leak.sightings().size(),
                    report.replicas().size(),
                    leak.firstSeen() == null ? "" : ", first seen " + safe(leak.firstSeen())));
            for (FleetReport.Sighting sighting : leak.sightings()) {
                out.append(String.format(
                        Locale.ROOT,
                        "    %s  grows %s/min, now %s, confidence %.2f%s\n",
                        safe(sighting.replica()),
                        amount(sighting.growthPerMinute(), leak.unit()),
                        amount(sighting.current(), leak.unit()),
                        sighting.confidence(),
                        sighting.firstSeen() == null ? "" : ", since " + safe(sighting.firstSeen())));
            }
        }
        out.append(String.format(Locale.ROOT, "\nrecordings:\n"));
        for (FleetReport.Replica replica : report.replicas()) {
            out.append(String.format(
                    Locale.ROOT,
                    "    %s  %s, %d %s%s%s\n",
                    safe(replica.name()),
                    safe(replica.verdict()),
                    replica.suspects(),
                    replica.suspects() == 1 ? "suspect" : "suspects",
                    replica.pid() == null ? "" : ", pid " + replica.pid(),
                    replica.first() == null ? "" : ", " + safe(replica.first()) + " to " + safe(replica.last())));
        }
        return out.toString();
    }

    private static String amount(double value, String unit) {
        return unit.equals("bytes") ? Wording.bytes(value) : String.format(Locale.ROOT, "%.1f %s", value, safe(unit));
    }
}
