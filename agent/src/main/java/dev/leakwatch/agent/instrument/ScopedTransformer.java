package dev.leakwatch.agent.instrument;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The {@link ClassFileTransformer} itself: decides by name, loader and module whether a class is instrumented, hands
 * the bytes to the {@link AllocationInstrumenter}, and remembers which classes it changed so they can be restored.
 *
 * <p>A firewall: whatever fails, the class loads with its original bytes (null returned) and the failure is counted.
 * Transformations that class loading triggers inside a transformation on the same thread (ASM's own classes, a class
 * loader's helpers) are left alone: a reentrant transformation could deadlock on a class loading lock, and none of
 * those classes is one whose allocations explain a leak.
 */
final class ScopedTransformer implements ClassFileTransformer {
    private final ClassScope scope;
    private final Instrumentation instrumentation;
    private final Class<?> hook;
    private final Module hookModule;
    private final AllocationInstrumenter instrumenter;
    private final AllocationTransformer.Counters counters;
    private final FailureLog failures;
    private final ClassLoader platformLoader = ClassLoader.getPlatformClassLoader();
    /** Loader -> whether it resolves the hook to the bootstrap copy. Never locked while loading a class. */
    private final Map<ClassLoader, Boolean> hookVisible = new WeakHashMap<>();
    /** Binary names of the classes changed, per defining loader (weakly held); bootstrap classes apart. */
    private final Map<ClassLoader, Set<String>> changedByLoader = new WeakHashMap<>();

    private final Set<String> changedInBootstrap = new HashSet<>();
    /** Set while this thread transforms: see the class comment. Not a lambda: none may be spun mid-transform. */
    private final ThreadLocal<boolean[]> transforming = new ThreadLocal<>() {
        @Override
        protected boolean[] initialValue() {
            return new boolean[1];
        }
    };

    ScopedTransformer(
            ClassScope scope,
            Instrumentation instrumentation,
            Class<?> hook,
            AllocationInstrumenter instrumenter,
            AllocationTransformer.Counters counters,
            FailureLog failures) {
        this.scope = scope;
        this.instrumentation = instrumentation;
        this.hook = hook;
        this.hookModule = hook.getModule();
        this.instrumenter = instrumenter;
        this.counters = counters;
        this.failures = failures;
    }

    @Override
    public byte[] transform(
            Module module,
            ClassLoader loader,
            String internalName,
            Class<?> classBeingRedefined,
            ProtectionDomain protectionDomain,
            byte[] classFile) {
        if (internalName == null || classFile == null) {
            return null;
        }
        boolean[] inTransform = transforming.get();
        if (inTransform[0]) {
            return null;
        }
        inTransform[0] = true;
        String className = null;
        try {
            className = internalName.replace('/', '.');
            if (!inScope(className, loader)) {
                return null;
            }
            byte[] instrumented = instrumenter.instrument(classFile);
            if (instrumented == classFile) {
                return null; // no allocation site: nothing to change, nothing to restore
            }
            assureReads(module);
            counters.transformed.increment();
            rememberChanged(loader, className);
            return instrumented;
        } catch (Throwable t) {
            failures.transformFailed(className == null ? String.valueOf(internalName) : className, t);
            return null;
        } finally {
            inTransform[0] = false;
        }
    }

    /** Whether an already-loaded class is one to retransform when installing. Never throws. */
    boolean selects(Class<?> type) {
        try {
            return !type.isHidden()
                    && !type.isArray()
                    && !type.isPrimitive()
                    && instrumentation.isModifiableClass(type)
                    && inScope(type.getName(), type.getClassLoader());
        } catch (Throwable t) {
            failures.transformFailed(type.getName(), t);
            return false;
        }
    }

    /** Whether this transformer changed the class's bytes (the class is then restored on reset). */
    boolean changed(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        synchronized (changedByLoader) {
            Set<String> names = loader == null ? changedInBootstrap : changedByLoader.get(loader);
            return names != null && names.contains(type.getName());
        }
    }

    private boolean inScope(String className, ClassLoader loader) {
        boolean jdk = loader == null || loader == platformLoader;
        if (!scope.includes(className, jdk)) {
            return false;
        }
        if (!seesHook(loader)) {
            counters.hookInvisible.increment();
            return false;
        }
        return true;
    }

    private void rememberChanged(ClassLoader loader, String className) {
        synchronized (changedByLoader) {
            Set<String> names = loader == null ? changedInBootstrap : changedByLoader.get(loader);
            if (names == null) {
                names = new HashSet<>();
                changedByLoader.put(loader, names);
            }
            names.add(className);
        }
    }

    /** A class of a named module calls the hook in the bootstrap loader's unnamed module: it must read it. */
    private void assureReads(Module module) {
        if (module != null && module.isNamed() && !module.canRead(hookModule)) {
            instrumentation.redefineModule(module, Set.of(hookModule), Map.of(), Map.of(), Set.of(), Map.of());
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
