package dev.leakwatch.agent.holders;

import dev.leakwatch.agent.sampling.JvmHeapSampler;
import dev.leakwatch.agent.sampling.SamplerUnavailableException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The native heap walk ({@code src/main/c/retention_walk.c}, in the same library as the JVM's heap sampler): tags the
 * targets, then tags their referrers one pass over the heap at a time, recording each reference into a tagged object.
 * One walk at a time in the JVM: the native tables are global, so every call goes through {@link RetentionSearch},
 * which holds this class's lock for a whole walk.
 */
final class HeapWalk {
    static final int TARGET = 1;
    static final int TARGET_CLASS = 2;
    static final int EXCLUDED = 4;
    static final int EXPANDABLE = 8;
    static final int ROOT = 16;
    static final int STATIC_HOLDER = 32;
    static final int SEEN = 64;

    /** JVMTI's {@code jvmtiHeapReferenceKind}. */
    static final int KIND_CLASS = 1;

    static final int KIND_FIELD = 2;
    static final int KIND_ARRAY_ELEMENT = 3;
    static final int KIND_CLASS_LOADER = 4;
    static final int KIND_STATIC_FIELD = 8;
    static final int KIND_JNI_GLOBAL = 21;
    static final int KIND_SYSTEM_CLASS = 22;
    static final int KIND_MONITOR = 23;
    static final int KIND_STACK_LOCAL = 24;
    static final int KIND_JNI_LOCAL = 25;
    static final int KIND_THREAD = 26;

    /** The library this class was written against ({@code LW_WALK_VERSION}). */
    private static final int EXPECTED_VERSION = 2;

    private HeapWalk() {}

    /**
     * Loads the native library if it is not yet (the heap sampler may have), and checks it has this walk.
     *
     * @throws SamplerUnavailableException with a one-line reason when it cannot run in this JVM
     */
    static void ensureAvailable(Path scratch) throws SamplerUnavailableException {
        JvmHeapSampler.load(scratch);
        int version;
        try {
            version = version0();
        } catch (UnsatisfiedLinkError e) {
            throw new SamplerUnavailableException(
                    "the native library loaded has no heap walk (an agent jar of an older leakwatch was loaded first)",
                    e);
        }
        if (version != EXPECTED_VERSION) {
            throw new SamplerUnavailableException("native heap walk version " + version + ", expected "
                    + EXPECTED_VERSION + " (an agent jar of another leakwatch version was loaded first)");
        }
    }

    static String describe(int status) {
        return switch (status) {
            case -1 -> "no JVMTI 11 environment";
            case -2 -> "capability can_tag_objects not available";
            case -3 -> "no native memory for the walk's tables";
            case -4 -> "bad walk limits";
            case -5 -> "no walk started";
            default -> "JVMTI error " + status;
        };
    }

    static native int version0();

    static native int begin0(
            Object[] targets,
            Class<?>[] targetClasses,
            Object[] excluded,
            int maxNodes,
            int maxEdges,
            int maxTargets,
            boolean followClassEdges);

    /** @param onlyInstancesOf report only references to this class's instances (JVMTI's klass filter); null: all */
    static native int pass0(Class<?> onlyInstancesOf);

    /** Fills {nodes, edges, targets, node budget hit (0/1), edge budget hit (0/1)}. */
    static native void state0(long[] state);

    static native int edges0(int[] from, int[] to, int[] kinds, int[] indexes);

    static native int nodes0(int[] flags, int[] rootKinds, long[] rootMethods, long[] rootThreads);

    static native Object[] objects0(int[] nodeIds);

    static native String[] field0(Object holder, Object value, boolean isStatic);

    static native String[] method0(long methodId);

    static native void end0();

    static native Object[] loadedClasses0(String signature, String[] signaturePrefixes);

    /**
     * The loaded classes named {@code className} (one per loader that defined one) and those in {@code packages},
     * found by JVMTI: {@code Class.getName} on every loaded class would leave a name string in each that had none.
     */
    static LoadedClasses loadedClasses(String className, List<String> packages) throws SamplerUnavailableException {
        String[] prefixes = new String[packages.size()];
        for (int i = 0; i < prefixes.length; i++) {
            prefixes[i] = ClassSignatures.ofPackage(packages.get(i));
        }
        Object[] found = loadedClasses0(ClassSignatures.of(className), prefixes);
        if (found == null) {
            throw new SamplerUnavailableException("JVMTI could not list the loaded classes");
        }
        return new LoadedClasses(nonNull((Object[]) found[0]), nonNull((Object[]) found[1]));
    }

    /** Classes the walk looks for, and classes whose instances it leaves out. */
    record LoadedClasses(List<Class<?>> named, List<Class<?>> inPackages) {}

    private static List<Class<?>> nonNull(Object[] classes) {
        List<Class<?>> list = new ArrayList<>();
        for (Object type : classes) {
            if (type == null) {
                break;
            }
            list.add((Class<?>) type);
        }
        return list;
    }
}
