package dev.leakwatch.agent.instrument;

import dev.leakwatch.bootstrap.AllocationHook;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.AgentBuilder.RedefinitionStrategy;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.field.FieldList;
import net.bytebuddy.description.method.MethodList;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.Nexus;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.jar.asm.ClassTooLargeException;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodTooLargeException;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;

/**
 * Instruments the allocation sites of the classes a {@link ClassScope} selects, as they load and (by
 * retransformation) those already loaded; {@link Installation#reset()} undoes it all.
 *
 * <p>Built on byte-buddy's {@code AgentBuilder} with the {@code DECORATE} type strategy and class format changes
 * disabled: the only change is inside method bodies ({@link AllocationInstrumenter}), so retransformation is allowed
 * and resetting restores the original classes. Every part is a firewall: a matcher or transformation that throws
 * leaves that class with its original bytes, is counted, and is logged in one line per class at most through the
 * injected callback. A class whose method would exceed 64 KB once instrumented keeps its original bytes too.
 *
 * <p>Prerequisite: {@link BootstrapJar#install} ran before this class (which refers to {@code AllocationHook}) was
 * loaded. Without the hook on the bootstrap class path no JDK class is instrumented, and classes of loaders that
 * cannot see the hook never are (checked once per class loader): otherwise their allocations would throw
 * {@code NoClassDefFoundError} in the application.
 */
public final class AllocationTransformer {
    /** Failing classes logged one line each, at most; further failures are counted only. */
    /** A host with many odd classes (javac run from source, say) must not get a page of our lines. */
    static final int MAX_LOGGED_FAILURES = 5;
    private static final int RETRANSFORM_BATCH = 100;

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
        AllocationInstrumenter instrumenter = new AllocationInstrumenter(registry, !arraysInstrumented);
        Matcher matcher = new Matcher(scope, instrumentation, hook, counters);
        FailureListener listener = new FailureListener(counters, this::safeLog);
        RetransformListener retransformListener = new RetransformListener(counters, this::safeLog);

        disableNexus();
        ResettableClassFileTransformer transformer = new AgentBuilder.Default(
                        new ByteBuddy().with(TypeValidation.DISABLED))
                .disableClassFormatChanges()
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(AgentBuilder.DescriptionStrategy.Default.POOL_ONLY)
                .with(AgentBuilder.PoolStrategy.Default.FAST)
                .with(AgentBuilder.LocationStrategy.ForClassLoader.WEAK)
                .with(listener)
                .assureReadEdgeTo(instrumentation, hook)
                .with(RedefinitionStrategy.RETRANSFORMATION)
                .with(RedefinitionStrategy.BatchAllocator.ForFixedSize.ofSize(RETRANSFORM_BATCH))
                .with(RedefinitionStrategy.DiscoveryStrategy.Reiterating.INSTANCE)
                .with(RedefinitionStrategy.Listener.BatchReallocator.splitting())
                .with(retransformListener)
                .ignore(ElementMatchers.none())
                .type(matcher)
                .transform((builder, type, loader, module, domain) -> builder.visit(new Wrapper(instrumenter)))
                .installOn(instrumentation);
        return new Installation(instrumentation, transformer, retransformListener, counters, instrumenter, registry,
                this::safeLog);
    }

    /**
     * Loads the JDK classes in scope before the transformer is registered, so that installing retransforms them.
     * Otherwise one first loaded by byte-buddy itself while it transforms another class would be skipped by
     * byte-buddy's circularity lock and stay uninstrumented for good (seen on Java 25 with {@code TreeMap}).
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
     * {@code new AgentBuilder.Default} prepares byte-buddy's Nexus (type initializers injected into instrumented
     * classes), which touches {@code sun.misc.Unsafe}: on Java 24+ the JVM then prints a deprecation warning to the
     * host's stderr. Nothing here uses the Nexus (class format changes are disabled), so it is switched off. After
     * shading, the property name is relocated with byte-buddy, so the host's own byte-buddy is unaffected.
     */
    private static void disableNexus() {
        if (System.getProperty(Nexus.PROPERTY) == null) {
            System.setProperty(Nexus.PROPERTY, "true");
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
     * not read by default: without this edge the first call would throw IllegalAccessError. byte-buddy's
     * {@code assureReadEdgeTo} covers the other named modules as their classes are transformed.
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
        private final ResettableClassFileTransformer transformer;
        private final RetransformListener retransformListener;
        private final Counters counters;
        private final AllocationInstrumenter instrumenter;
        private final SiteRegistry registry;
        private final Consumer<String> log;
        private final AtomicBoolean reset = new AtomicBoolean();

        private Installation(Instrumentation instrumentation, ResettableClassFileTransformer transformer,
                RetransformListener retransformListener, Counters counters, AllocationInstrumenter instrumenter,
                SiteRegistry registry, Consumer<String> log) {
            this.instrumentation = instrumentation;
            this.transformer = transformer;
            this.retransformListener = retransformListener;
            this.counters = counters;
            this.instrumenter = instrumenter;
            this.registry = registry;
            this.log = log;
        }

        /**
         * Removes the transformer and retransforms every class it applied to back to its original bytes (other
         * agents' retransformable transformers apply again). Idempotent; never throws.
         *
         * @return whether this call removed the transformer
         */
        public boolean reset() {
            if (!reset.compareAndSet(false, true)) {
                return false;
            }
            try {
                return transformer.reset(instrumentation, RedefinitionStrategy.RETRANSFORMATION,
                        RedefinitionStrategy.BatchAllocator.ForFixedSize.ofSize(RETRANSFORM_BATCH),
                        new RedefinitionStrategy.Listener.Compound(
                                RedefinitionStrategy.Listener.BatchReallocator.splitting(), retransformListener));
            } catch (Throwable t) {
                counters.failed.increment();
                log.accept("could not undo the allocation instrumentation: " + describe(t));
                return false;
            }
        }

        public boolean isReset() {
            return reset.get();
        }

        public InstrumentationStats stats() {
            return new InstrumentationStats(counters.transformed.sum(), counters.failed.sum(),
                    counters.tooLarge.sum(), counters.retransformFailed.sum(), counters.hookInvisible.sum(),
                    instrumenter.instrumentedSites(), instrumenter.skippedSites(), registry.size(),
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

    /** Hands byte-buddy the instrumenter, asking for no frame computation and no frame expansion. */
    private static final class Wrapper implements AsmVisitorWrapper {
        private final AllocationInstrumenter instrumenter;

        Wrapper(AllocationInstrumenter instrumenter) {
            this.instrumenter = instrumenter;
        }

        @Override
        public int mergeWriter(int flags) {
            return flags;
        }

        @Override
        public int mergeReader(int flags) {
            return flags;
        }

        @Override
        public ClassVisitor wrap(TypeDescription instrumentedType, ClassVisitor classVisitor,
                Implementation.Context implementationContext, TypePool typePool,
                FieldList<FieldDescription.InDefinedShape> fields, MethodList<?> methods, int writerFlags,
                int readerFlags) {
            return instrumenter.wrap(classVisitor);
        }
    }

    /** The scope, plus what only the running JVM knows: modifiability and whether the loader sees the hook. */
    static final class Matcher implements AgentBuilder.RawMatcher {
        private final ClassScope scope;
        private final Instrumentation instrumentation;
        private final Class<?> hook;
        private final Counters counters;
        private final ClassLoader platformLoader = ClassLoader.getPlatformClassLoader();
        /** Loader -> whether it resolves the hook to the bootstrap copy. Never locked while loading a class. */
        private final Map<ClassLoader, Boolean> hookVisible = new WeakHashMap<>();

        Matcher(ClassScope scope, Instrumentation instrumentation, Class<?> hook, Counters counters) {
            this.scope = scope;
            this.instrumentation = instrumentation;
            this.hook = hook;
            this.counters = counters;
        }

        @Override
        public boolean matches(TypeDescription typeDescription, ClassLoader classLoader, JavaModule module,
                Class<?> classBeingRedefined, ProtectionDomain protectionDomain) {
            try {
                if (classBeingRedefined != null && (classBeingRedefined.isHidden() || classBeingRedefined.isArray()
                        || classBeingRedefined.isPrimitive()
                        || !instrumentation.isModifiableClass(classBeingRedefined))) {
                    return false;
                }
                boolean jdk = classLoader == null || classLoader == platformLoader;
                if (!scope.includes(typeDescription.getName(), jdk)) {
                    return false;
                }
                if (!seesHook(classLoader)) {
                    counters.hookInvisible.increment();
                    return false;
                }
                return true;
            } catch (Throwable t) {
                counters.failed.increment();
                return false;
            }
        }

        private boolean seesHook(ClassLoader loader) {
            if (loader == null) {
                return hook.getClassLoader() == null;
            }
            Boolean known;
            synchronized (hookVisible) {
                known = hookVisible.get(loader);
            }
            if (known != null) {
                return known;
            }
            boolean visible;
            try {
                visible = Class.forName(hook.getName(), false, loader) == hook;
            } catch (Throwable t) {
                visible = false; // OSGi-style isolation, or a loader that fails: leave its classes alone
            }
            synchronized (hookVisible) {
                hookVisible.put(loader, visible);
            }
            return visible;
        }
    }

    /** Counts transformations and failures; one log line per failing class, {@value #MAX_LOGGED_FAILURES} at most. */
    static final class FailureListener extends AgentBuilder.Listener.Adapter {
        private final Counters counters;
        private final Consumer<String> log;
        private final Set<String> logged = ConcurrentHashMap.newKeySet();
        private final AtomicBoolean toldMore = new AtomicBoolean();

        FailureListener(Counters counters, Consumer<String> log) {
            this.counters = counters;
            this.log = log;
        }

        @Override
        public void onTransformation(TypeDescription typeDescription, ClassLoader classLoader, JavaModule module,
                boolean loaded, DynamicType dynamicType) {
            counters.transformed.increment();
        }

        @Override
        public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded,
                Throwable throwable) {
            try {
                boolean tooLarge = isTooLarge(throwable);
                (tooLarge ? counters.tooLarge : counters.failed).increment();
                logOnce(typeName, tooLarge
                        ? "allocation sites of " + typeName + " not instrumented: a method would exceed 64 KB"
                        : "allocation sites of " + typeName + " not instrumented: " + describe(throwable));
            } catch (Throwable ignored) {
                // A listener is a firewall too.
            }
        }

        void logOnce(String typeName, String line) {
            if (logged.size() >= MAX_LOGGED_FAILURES) {
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

    /** Counts the already-loaded classes the JVM refused to retransform, after batches were split down to one class. */
    static final class RetransformListener extends RedefinitionStrategy.Listener.Adapter {
        private final Counters counters;
        private final Consumer<String> log;
        private final Set<String> logged = ConcurrentHashMap.newKeySet();

        RetransformListener(Counters counters, Consumer<String> log) {
            this.counters = counters;
            this.log = log;
        }

        @Override
        public void onComplete(int amount, List<Class<?>> types, Map<List<Class<?>>, Throwable> failures) {
            try {
                for (Map.Entry<List<Class<?>>, Throwable> failure : failures.entrySet()) {
                    counters.retransformFailed.add(failure.getKey().size());
                    for (Class<?> type : failure.getKey()) {
                        if (logged.size() < MAX_LOGGED_FAILURES && logged.add(type.getName())) {
                            log.accept("could not retransform " + type.getName() + ": "
                                    + describe(failure.getValue()));
                        }
                    }
                }
            } catch (Throwable ignored) {
                // A listener is a firewall too.
            }
        }
    }

    static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : " (" + message + ")");
    }
}
