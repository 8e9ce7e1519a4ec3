package dev.leakwatch.analyzer.rule;

import dev.leakwatch.format.report.GaugeFinding;
import dev.leakwatch.format.report.HeapSummary;
import dev.leakwatch.format.report.Suspect;
import java.util.List;
import java.util.Objects;

/**
 * What one rule concluded from one window: the parts of the report it fills. Each part is a report record that
 * carries its own confidence, summary, explanation and evidence (a suspect its severity too), so the analysis
 * assembles the report without knowing how any rule decided.
 *
 * @param rule       the {@link LeakRule#id()} of the rule that concluded it
 * @param enoughData false when the window, or the series the rule reads, held too little for the rule's test:
 *                   the rule then reports nothing rather than a guess (JMC's {@code getTooFewEventsResult}); only
 *                   a heap summary may still state the live set's current level
 * @param suspects   retained growth the rule stands behind, ranked by the rule
 * @param candidates weaker retained growth, each saying why it is not a suspect
 * @param findings   JVM-level growth that a class histogram does not show
 * @param heap       the heap's live set over the window, or null from a rule that does not judge it
 */
public record RuleResult(
        String rule,
        boolean enoughData,
        List<Suspect> suspects,
        List<Suspect> candidates,
        List<GaugeFinding> findings,
        HeapSummary heap) {

    public RuleResult {
        Objects.requireNonNull(rule, "rule");
        suspects = List.copyOf(suspects);
        candidates = List.copyOf(candidates);
        findings = List.copyOf(findings);
    }

    /** The window is too short for the rule's test: no finding rather than a guess. */
    public static RuleResult notEnoughData(String rule) {
        return new RuleResult(rule, false, List.of(), List.of(), List.of(), null);
    }

    /** The rule judged the window and found nothing to report. */
    public static RuleResult nothingFound(String rule) {
        return new RuleResult(rule, true, List.of(), List.of(), List.of(), null);
    }

    public static RuleResult suspects(String rule, List<Suspect> suspects, List<Suspect> candidates) {
        return new RuleResult(rule, true, suspects, candidates, List.of(), null);
    }

    public static RuleResult finding(String rule, GaugeFinding finding) {
        return new RuleResult(rule, true, List.of(), List.of(), List.of(finding), null);
    }

    /** @param enoughData false when the summary only states the live set's level, too few points for a trend */
    public static RuleResult heap(String rule, HeapSummary heap, boolean enoughData) {
        return new RuleResult(rule, enoughData, List.of(), List.of(), List.of(), Objects.requireNonNull(heap, "heap"));
    }
}
