/**
 * The statistics that decide whether one class's live-bytes series is a leak: pure functions over primitive
 * arrays, no I/O.
 *
 * <p>Everything here is rank-based or median-based on purpose. Heap samples are taken at arbitrary points
 * of the GC cycle, so single samples can sit far above the live set; a least-squares slope (as JMC's
 * {@code IncreasingLiveSetRule} uses on after-GC heap) is dragged by one such sample, while the Theil-Sen
 * slope and the Mann-Kendall test ignore it (see {@code GrowthVerdictTest#linearLeakWithTwoHugeOutliers}).
 *
 * <p>Flow: {@link dev.leakwatch.analyzer.trend.TrendFitter} reduces a series to a
 * {@link dev.leakwatch.analyzer.trend.TrendFit}; {@link dev.leakwatch.analyzer.trend.GrowthVerdict} turns
 * that into a confidence; {@link dev.leakwatch.analyzer.trend.ThirdsGrowth} measures how an exact count (loaded
 * classes) grew in each third of the window, which a count's confidence uses instead of the recent slope;
 * {@link dev.leakwatch.analyzer.trend.LinearProjection} estimates time to a limit.
 */
package dev.leakwatch.analyzer.trend;
