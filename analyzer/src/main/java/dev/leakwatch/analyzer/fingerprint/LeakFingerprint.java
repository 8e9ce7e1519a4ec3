package dev.leakwatch.analyzer.fingerprint;

import dev.leakwatch.format.report.AllocationSite;
import dev.leakwatch.format.report.GaugeFinding;
import dev.leakwatch.format.report.Suspect;
import java.nio.charset.StandardCharsets;

/**
 * A leak's fingerprint: a short hash of what identifies the leak independently of the process, so that one leak has
 * one name in every JVM of a fleet, after a restart and in a monitoring system's labels (docs/formats.md,
 * "Fingerprints").
 *
 * <p>The inputs are the suspect's leading class, the method of the application where its top allocation site
 * allocates (when allocation tracking named one) and the field that holds the leak in its retention chain (when a
 * chain is known), each after {@link GeneratedNames} took out what differs from run to run. PIDs, addresses, times,
 * heap sizes and line numbers never enter it.
 */
public final class LeakFingerprint {
    /**
     * Part of every hashed input: a change to the inputs or to their normalisation changes this, so that fingerprints
     * of two rules never meet by accident.
     */
    static final String RULES_VERSION = "leakwatch-fingerprint-1";
    /** Hex digits kept: 48 bits, collision-free in practice among the leaks of one fleet, short enough for a label. */
    static final int LENGTH = 12;

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final char SEPARATOR = '\u0000';

    private LeakFingerprint() {}

    /**
     * @param leadingClass     the suspect's leading class
     * @param applicationFrame the first application frame of its top allocation site, or null when none is known
     * @param holdingField     the field that holds the leak in its retention chain
     *                         ({@code com.acme.Registry.sessions}), or null when no chain is known
     */
    public static String of(String leadingClass, String applicationFrame, String holdingField) {
        StringBuilder input = new StringBuilder(RULES_VERSION)
                .append(SEPARATOR)
                .append(GeneratedNames.className(leadingClass))
                .append(SEPARATOR);
        if (applicationFrame != null) {
            input.append(GeneratedNames.frame(applicationFrame));
        }
        input.append(SEPARATOR);
        if (holdingField != null) {
            input.append(GeneratedNames.className(holdingField));
        }
        return hash(input.toString());
    }

    /**
     * A suspect's fingerprint from what its report holds.
     *
     * @param holdingField see {@link #of}; null until the analysis computes retention chains
     */
    public static String of(Suspect suspect, String holdingField) {
        return of(suspect.className(), applicationFrame(suspect), holdingField);
    }

    /** A JVM-level finding's: one kind of growth (loaded classes, threads, direct memory) is one finding per JVM. */
    public static String of(GaugeFinding finding) {
        return hash(RULES_VERSION + SEPARATOR + "finding" + SEPARATOR + finding.kind());
    }

    /**
     * The top allocation site's key frame: the application's own method where there is one (else the first frame
     * outside the JDK); null without allocation sites.
     */
    static String applicationFrame(Suspect suspect) {
        if (suspect.allocationSites().isEmpty()) {
            return null;
        }
        AllocationSite top = suspect.allocationSites().get(0);
        return top.frames().isEmpty() ? null : top.keyFrame();
    }

    /** FNV-1a, 64 bits, over UTF-8: no cryptographic provider to load into the host, the same on every JVM. */
    private static String hash(String input) {
        long hash = FNV_OFFSET;
        for (byte b : input.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= FNV_PRIME;
        }
        String hex = Long.toHexString(hash);
        StringBuilder padded = new StringBuilder(16);
        for (int i = hex.length(); i < 16; i++) {
            padded.append('0');
        }
        return padded.append(hex).substring(0, LENGTH);
    }
}
