package dev.leakwatch.analyzer.rule;

import dev.leakwatch.analyzer.trend.TrendFit;

/** One class's fitted growth over the analysis window: the unit that {@link RetainedGrowthRule} groups. */
record ClassTrend(String className, AnalysisWindow.Series bytes, TrendFit fit, double confidence) {
    double slope() {
        return fit.slopePerMinute();
    }
}
