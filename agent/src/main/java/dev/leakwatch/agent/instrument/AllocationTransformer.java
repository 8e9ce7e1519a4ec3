package dev.leakwatch.agent.instrument;

import dev.leakwatch.bootstrap.AllocationHook;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Instruments the allocation sites of the classes a {@link ClassScope} selects, as they load and (by
 * retransformation) those already loaded; {@link Installation#reset()} undoes it all.
 *
 * <p><b>A plain {@code ClassFileTransformer} over byte-buddy's ASM</b> ({@link ScopedTransformer}), not byte-buddy's
 * {@code AgentBuilder}: the only change is inside method bodies ({@link AllocationInstrumenter}), decided by the class
 * name alone, so none of the {@code AgentBuilder} machinery (type pools, type descriptions, its listeners) earns its
 * cost here. Measured on the allocation benchmark, that machinery took 3.9 CPU s and loaded some 2,500 classes of its
 * own; with {@code -javaagent} the transformer is now registered in {@code premain}, before the application's classes
 * load, where every millisecond adds to the host's start-up.
 *
 * <p>Since the transformation adds no field, method or attribute, the classes may be retransformed and restored.
 * Every part is a firewall: a transformation that throws leaves that class with its original bytes, is counted, and
 * is logged in one line per class at most ({@value #MAX_LOGGED_FAILURES} classes at most). A class whose method would
 * exceed 64 KB once instrumented keeps its original bytes too.
 *
 * <p>Prerequisite: {@link BootstrapJar#install} ran before this class (which refers to {@code AllocationHook}) was
 * loaded. Without the hook on the bootstrap class path no JDK class is instrumented, and classes of loaders that
 * cannot see the hook never are (checked once per class loader): otherwise their allocations would throw
 * {@code NoClassDefFoundError} in the application.
 */
public final class AllocationTransformer {
    /** A host with many odd classes (javac run from source, say) must not get a page of our lines. */
    static final int MAX_LOGGED_FAILURES = 5;

    private final ClassScope scope;
    private final SiteRegistry registry;
    private final Consumer<String> log;

    /**
     * @param scope    which classes to instrument
     * @param registry where site ids come from; the tracker looks sites up there
     * @param log      receives one line per class that could not be instrumented (at most
     *                 {@value #MAX_LOGGED_FAILURES}), and one line if the hook is not on the bootstrap class path
     */
    public AllocationTransformer(ClassScope scope, SiteRegistry registry, Consumer<String> log) {
        this.scope = Objects.requireNonNull(scope, "scope");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.log = Objects.requireNonNull(log, "log");
    }

    /**
     * Registers the transformer and retransforms the already-loaded classes in scope. Classes the JVM refuses to
     * retransform are counted and keep their code.
     *
     * @throws IllegalStateException when the JVM does not support retransformation (no
     *                               {@code Can-Retransform-Classes} in the agent's manifest)
     */
    public Installation install(Instrumentation instrumentation) {
        if (!instrumentation.isRetransformClassesSupported()) {
            throw new IllegalStateException("this JVM or agent jar does not support retransforming classes");
        }
        Class<?> hook = AllocationHook.class;
        boolean hookOnBootstrap = hook.getClassLoader() == null;
        if (hookOnBootstrap) {
            assureJavaBaseReads(instrumentation, hook.getModule());
        } else {
            safeLog("allocation hook is not on the bootstrap class path: JDK classes are not instrumented");
        }
        // java.util.Arrays instrumented: its copyOf bodies are hooked, so hooking their call sites too would count
        // every copy twice. Not instrumented: the call sites are where the copies are seen.
        boolean arraysInstrumented = hookOnBootstrap && scope.includes("java.util.Arrays", true);
        if (hookOnBootstrap) {
            loadJdkClasses(scope);
        }
        Counters counters = new Counters();
        FailureLog failures = new FailureLog(counters, this::safeLog);
        AllocationInstrumenter instrumenter = new AllocationInstrumenter(registry, !arraysInstrumented);
        ScopedTransformer transformer =
                new ScopedTransformer(scope, instrumentation, hook, instrumenter, counters, failures);
        Retransformer retransformer = new Retransformer(instrumentation, failures);

        prepareTransformation();
        instrumentation.addTransformer(transformer, true);
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            if (transformer.selects(type)) {
                loaded.add(type);
            }
        }
        retransformer.retransform(loaded);
        return new Installation(
                instrumentation, transformer, retransformer, counters, failures, instrumenter, registry, this::safeLog);
    }

    /**
     * Loads the JDK classes in scope before the transformer is registered, so that installing retransforms them.
     * Otherwise one first loaded by the transformation of another class would meet the transformer's reentrancy
     * guard and stay uninstrumented for good.
     */
    private static void loadJdkClasses(ClassScope scope) {
        for (String name : ClassScope.JDK_CLASSES) {
            if (scope.includes(name, true)) {
                try {
                    Class.forName(name, false, null);
                } catch (Throwable ignored) {
                    // Not in this JDK: nothing to instrument.
                }
            }
        }
    }

    /**
     * Instruments one of our own class files with a throwaway registry before the transformer is registered, so that
     * ASM's and the visitors' classes and call sites are loaded and linked here rather than inside the first class
     * load the transformer sees, where a nested class load is skipped by the reentrancy guard and linking can fail.
     * Best effort: a failure here shows again, counted, on the first real class.
     */
    private static void prepareTransformation() {
        String resource = FailureLog.class.getName().replace('.', '/') + ".class";
        ClassLoader own = FailureLog.class.getClassLoader();
        try (InputStream in =
                own == null ? ClassLoader.getSystemResourceAsStream(resource) : own.getResourceAsStream(resource)) {
            if (in != null) {
                new AllocationInstrumenter(new SiteRegistry(), true).instrument(in.readAllBytes());
            }
        } catch (Throwable ignored) {
            // See above.
        }
    }

    private void safeLog(String line) {
        try {
            log.accept(line);
        } catch (Throwable ignored) {
            // The log is the owner's: if it fails, the instrumentation carries on regardless.
        }
    }

    /**
     * Instrumented classes of java.base call into the bootstrap class loader's unnamed module, which java.base does
     * not read by default: without this edge the first call would throw IllegalAccessError. The transformer adds
     * the edge for other named modules as their classes are transformed.
     */
    private static void assureJavaBaseReads(Instrumentation instrumentation, Module hookModule) {
        Module javaBase = Object.class.getModule();
        if (!javaBase.canRead(hookModule)) {
            instrumentation.redefineModule(javaBase, Set.of(hookModule), Map.of(), Map.of(), Set.of(), Map.of());
        }
    }

    /** The running instrumentation: its counters, and the way back. */
    public static final class Installation {
        private final Instrumentation instrumentation;
        private final ScopedTransformer transformer;
        private final Retransformer retransformer;
        private final Counters counters;
        private final FailureLog failures;
        private final AllocationInstrumenter instrumenter;
        private final SiteRegistry registry;
        private final Consumer<String> log;
        private final AtomicBoolean reset = new AtomicBoolean();

        private Installation(
                Instrumentation instrumentation,
                ScopedTransformer transformer,
                Retransformer retransformer,
                Counters counters,
                FailureLog failures,
                AllocationInstrumenter instrumenter,
                SiteRegistry registry,
                Consumer<String> log) {
            this.instrumentation = instrumentation;
            this.transformer = transformer;
            this.retransformer = retransformer;
            this.counters = counters;
            this.failures = failures;
            this.instrumenter = instrumenter;
            this.registry = registry;
            this.log = log;
        }

        /**
         * Removes the transformer and retransforms every class it changed back to its original bytes (other agents'
         * retransformable transformers apply again). Idempotent; never throws.
         *
         * @return whether this call removed the transformer and restored every class
         */
        public boolean reset() {
            if (!reset.compareAndSet(false, true)) {
                return false;
            }
            try {
                instrumentation.removeTransformer(transformer);
                List<Class<?>> changed = new ArrayList<>();
                for (Class<?> type : instrumentation.getAllLoadedClasses()) {
                    if (transformer.changed(type)) {
                        changed.add(type);
                    }
                }
                return retransformer.retransform(changed) == 0;
            } catch (Throwable t) {
                counters.failed.increment();
                log.accept("could not undo the allocation instrumentation: " + describe(t));
                return false;
            }
        }

        /** The first class that failed to transform or retransform, with its stack; empty while none did. */
        public Optional<Throwable> firstFailure() {
            return failures.first();
        }

        public boolean isReset() {
            return reset.get();
        }

        public InstrumentationStats stats() {
            return new InstrumentationStats(
                    counters.transformed.sum(),
                    counters.failed.sum(),
                    counters.tooLarge.sum(),
                    counters.retransformFailed.sum(),
                    counters.hookInvisible.sum(),
                    instrumenter.instrumentedSites(),
                    instrumenter.skippedSites(),
                    registry.size(),
                    registry.overflowed());
        }
    }

    static final class Counters {
        final LongAdder transformed = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder tooLarge = new LongAdder();
        final LongAdder retransformFailed = new LongAdder();
        final LongAdder hookInvisible = new LongAdder();
    }

    static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : " (" + message + ")");
    }
}
