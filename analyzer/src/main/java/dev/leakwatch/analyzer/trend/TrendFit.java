package dev.leakwatch.analyzer.trend;

/**
 * A series reduced to its trend, over the whole window and over its most recent part, so a caller can tell
 * "still growing at the end" from "grew, then plateaued". Built by {@link TrendFitter#fit}.
 *
 * @param points number of samples in the window
 * @param slopePerMinute Theil-Sen slope over the whole window, in value units per minute
 * @param intercept Theil-Sen intercept: the fitted value at minute 0
 * @param mannKendallZ continuity-corrected Mann-Kendall Z over the whole window
 * @param pValueIncreasing one-sided Mann-Kendall p-value of an increasing trend over the whole window
 * @param tau Kendall's tau-a over the whole window, in [-1, 1]
 * @param recentSlopePerMinute Theil-Sen slope over the recent part (see {@link TrendFitter#fit})
 * @param recentPValueIncreasing one-sided Mann-Kendall p-value over the recent part
 */
public record TrendFit(
        int points,
        double slopePerMinute,
        double intercept,
        double mannKendallZ,
        double pValueIncreasing,
        double tau,
        double recentSlopePerMinute,
        double recentPValueIncreasing) {}
