package dev.leakwatch.agent.e2e;

import dev.leakwatch.format.report.AllocationSite;
import dev.leakwatch.format.report.GaugeFinding;
import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.format.report.ReportJson;
import dev.leakwatch.format.report.Suspect;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Reading the agent's report from a test, tolerating the moments before its first write. */
final class Reports {
    private Reports() {}

    static Optional<LeakReport> read(Path outputDir) {
        Path file = outputDir.resolve("leak-report.json");
        try {
            return Files.exists(file) ? Optional.of(ReportJson.read(Files.readString(file))) : Optional.empty();
        } catch (IOException e) {
            // The agent renames complete reports into place, so a parse error here is a real failure.
            throw new AssertionError("unreadable report " + file + ": " + e.getMessage(), e);
        }
    }

    /** The 1-based rank of the suspect with this class name, or empty. */
    static Optional<Integer> rankOf(LeakReport report, String className) {
        return report.suspects().stream()
                .filter(s -> s.className().equals(className))
                .map(Suspect::rank)
                .findFirst();
    }

    /**
     * The frame of {@code method} (binary class name + "." + method) in the first allocation site of the suspect named
     * {@code className}, e.g. {@code com.acme.Cache.put(Cache.java:42)}; empty when that site does not name it, when it
     * holds no sample that outlived a snapshot (a leak site's samples come from at least two epochs), or when any site
     * of the suspect leaves out what it allocates.
     */
    static Optional<String> firstSiteFrame(LeakReport report, String className, String method) {
        return report.suspects().stream()
                .filter(s -> s.className().equals(className))
                .findFirst()
                .filter(s -> !s.allocationSites().isEmpty())
                .filter(s -> s.allocationSites().stream().allMatch(Reports::namesItsTypes))
                .map(s -> s.allocationSites().get(0))
                .filter(site -> site.distinctEpochs() >= 2)
                .flatMap(site -> site.frames().stream()
                        .filter(frame -> frame.startsWith(method + "("))
                        .findFirst())
                .map(frame -> frame.substring(frame.lastIndexOf('.', frame.indexOf('(')) + 1));
    }

    private static boolean namesItsTypes(AllocationSite site) {
        return site.allocatedType() != null
                && !site.allocatedType().isBlank()
                && !site.allocatedTypes().isEmpty()
                && site.allocatedTypes().get(0).equals(site.allocatedType());
    }

    /** The first allocation site's types, e.g. {@code [byte[], java.lang.String]}, or "-". */
    static String firstSiteTypes(LeakReport report, String className) {
        return report.suspects().stream()
                .filter(s -> s.className().equals(className))
                .findFirst()
                .filter(s -> !s.allocationSites().isEmpty())
                .map(s -> s.allocationSites().get(0).allocatedTypes().toString())
                .orElse("-");
    }

    static String sitesOf(LeakReport report, String className) {
        return report.suspects().stream()
                .filter(s -> s.className().equals(className))
                .findFirst()
                .map(s -> s.allocationSites().stream()
                        .map(site -> site.allocatedTypes() + " " + site.share() + " at " + site.keyFrame() + " ("
                                + site.liveSamples() + " live samples from " + site.distinctEpochs()
                                + " epochs, oldest "
                                + site.oldestAgeSeconds() + " s) " + site.frames())
                        .toList()
                        .toString())
                .orElse("no such suspect");
    }

    static Optional<GaugeFinding> finding(LeakReport report, String kind) {
        return report.findings().stream().filter(f -> f.kind().equals(kind)).findFirst();
    }

    static List<String> suspectNames(LeakReport report) {
        return report.suspects().stream().map(Suspect::className).toList();
    }
}
