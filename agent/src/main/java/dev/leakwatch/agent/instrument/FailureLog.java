package dev.leakwatch.agent.instrument;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import net.bytebuddy.jar.asm.ClassTooLargeException;
import net.bytebuddy.jar.asm.MethodTooLargeException;

/**
 * Counts the classes that could not be instrumented (or retransformed) and logs one line per class, for the first
 * {@value AllocationTransformer#MAX_LOGGED_FAILURES} classes, then one line saying the rest are only counted.
 */
final class FailureLog {
    private final AllocationTransformer.Counters counters;
    private final Consumer<String> log;
    private final Set<String> logged = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean toldMore = new AtomicBoolean();
    private final AtomicReference<Throwable> first = new AtomicReference<>();

    FailureLog(AllocationTransformer.Counters counters, Consumer<String> log) {
        this.counters = counters;
        this.log = log;
    }

    /** The transformation of {@code typeName} threw: the class keeps its original bytes. */
    void transformFailed(String typeName, Throwable throwable) {
        first.compareAndSet(null, throwable);
        try {
            boolean tooLarge = isTooLarge(throwable);
            (tooLarge ? counters.tooLarge : counters.failed).increment();
            logOnce(
                    typeName,
                    tooLarge
                            ? "allocation sites of " + typeName + " not instrumented: a method would exceed 64 KB"
                            : "allocation sites of " + typeName + " not instrumented: "
                                    + AllocationTransformer.describe(throwable));
        } catch (Throwable ignored) {
            // Counting a failure must not become one.
        }
    }

    /** The JVM refused to retransform {@code typeName} (alone in its batch): it keeps the code it had. */
    void retransformFailed(String typeName, Throwable throwable) {
        first.compareAndSet(null, throwable);
        try {
            counters.retransformFailed.increment();
            logOnce(typeName, "could not retransform " + typeName + ": " + AllocationTransformer.describe(throwable));
        } catch (Throwable ignored) {
            // Counting a failure must not become one.
        }
    }

    /** The first failure, with its stack: for a diagnosis beyond the one-line log. */
    Optional<Throwable> first() {
        return Optional.ofNullable(first.get());
    }

    private void logOnce(String typeName, String line) {
        if (logged.size() >= AllocationTransformer.MAX_LOGGED_FAILURES) {
            if (toldMore.compareAndSet(false, true)) {
                log.accept("more classes could not be instrumented; they are counted, not logged");
            }
            return;
        }
        if (logged.add(typeName)) {
            log.accept(line);
        }
    }

    private static boolean isTooLarge(Throwable throwable) {
        for (Throwable t = throwable; t != null; t = t.getCause()) {
            if (t instanceof MethodTooLargeException || t instanceof ClassTooLargeException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
