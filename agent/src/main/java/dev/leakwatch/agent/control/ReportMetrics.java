package dev.leakwatch.agent.control;

import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.format.report.Suspect;

/**
 * The newest report as the numbers a dashboard plots and an alert compares ({@link AgentControlMBean}'s numeric
 * attributes). A JMX exporter exports numbers only, so the verdict becomes one.
 */
final class ReportMetrics {
    /** {@link AgentControlMBean#getVerdictCode()}: no leak found. */
    static final int NO_LEAK_FOUND = 0;
    /** A leak is suspected. */
    static final int LEAK_SUSPECTED = 1;
    /** Not enough data for a verdict yet, or no report yet. */
    static final int NOT_ENOUGH_DATA = 2;

    private ReportMetrics() {}

    static int verdictCode(LeakReport report) {
        if (report == null || report.verdict() == null) {
            return NOT_ENOUGH_DATA;
        }
        return switch (report.verdict()) {
            case NO_LEAK_FOUND -> NO_LEAK_FOUND;
            case LEAK_SUSPECTED -> LEAK_SUSPECTED;
            case NOT_ENOUGH_DATA -> NOT_ENOUGH_DATA;
        };
    }

    /** The fastest growth among the suspects, bytes per minute; 0 without one. */
    static double worstGrowthBytesPerMinute(LeakReport report) {
        double worst = 0;
        if (report != null) {
            for (Suspect suspect : report.suspects()) {
                worst = Math.max(worst, suspect.growthBytesPerMinute());
            }
        }
        return worst;
    }

    /**
     * Minutes until the live set would fill the heap at its current growth; NaN while it does not grow (or there is no
     * report), so that a "less than" alert never fires on it, as 0 or -1 would.
     */
    static double minutesToHeapExhaustion(LeakReport report) {
        if (report == null || report.heap() == null || report.heap().minutesToExhaustion() == null) {
            return Double.NaN;
        }
        return report.heap().minutesToExhaustion();
    }
}
