package dev.leakwatch.agent.instrument;

import java.lang.instrument.Instrumentation;
import java.util.List;

/**
 * Retransforms classes in batches: one JVM call per batch rather than per class, and a batch the JVM refuses is split
 * in halves down to the single class at fault, so one bad class costs only itself.
 */
final class Retransformer {
    static final int BATCH = 100;

    private final Instrumentation instrumentation;
    private final FailureLog failures;

    Retransformer(Instrumentation instrumentation, FailureLog failures) {
        this.instrumentation = instrumentation;
        this.failures = failures;
    }

    /** @return how many classes could not be retransformed (counted and logged) */
    int retransform(List<Class<?>> classes) {
        int failed = 0;
        for (int from = 0; from < classes.size(); from += BATCH) {
            failed += retransformSplitting(classes.subList(from, Math.min(classes.size(), from + BATCH)));
        }
        return failed;
    }

    private int retransformSplitting(List<Class<?>> batch) {
        if (batch.isEmpty()) {
            return 0;
        }
        try {
            instrumentation.retransformClasses(batch.toArray(new Class<?>[0]));
            return 0;
        } catch (Throwable t) {
            if (batch.size() == 1) {
                failures.retransformFailed(batch.get(0).getName(), t);
                return 1;
            }
            int half = batch.size() / 2;
            return retransformSplitting(batch.subList(0, half))
                    + retransformSplitting(batch.subList(half, batch.size()));
        }
    }
}
