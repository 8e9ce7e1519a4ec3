package dev.leakwatch.analyzer.rule;

/**
 * One kind of finding, judged from the analysis window alone, after JMC's {@code IRule}: a rule is stateless,
 * keeps its thresholds as named constants of its own (those every rule needs are in {@link SharedThresholds}),
 * and answers {@link RuleResult#notEnoughData} rather than guess when the window is too short for its test.
 *
 * <p>The analysis runs each rule of one fixed list on the same window and assembles the report from their results
 * ({@code LeakAnalyzer.RULES}): a new kind of finding plugs in by implementing this and joining that list.
 */
public interface LeakRule {
    /** The rule's name, unique among the rules of an analysis: {@code retained-growth}, {@code threads}. */
    String id();

    /** What the rule concludes from this window; never null, and never a guess on too little data. */
    RuleResult evaluate(AnalysisWindow window);
}
