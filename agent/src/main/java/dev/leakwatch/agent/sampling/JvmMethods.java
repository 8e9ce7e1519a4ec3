package dev.leakwatch.agent.sampling;

import dev.leakwatch.agent.tracking.SampledStack;
import dev.leakwatch.format.model.ClassCount;
import java.util.HashMap;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Resolves the JVM's method IDs (from the heap sampler's stack walks) into class names, method names, source files
 * and line tables, once per method, and builds the {@link SampledStack} of a sample from them.
 *
 * <p>Used on the sampler's thread only, under its drain lock. Like the tracker's frame cache, it keeps the methods
 * used recently rather than every method ever seen: {@link #age()} (at each snapshot) starts a new generation and
 * forgets what the previous one did not use. The agent's own strings must follow the live paths, not the history,
 * or they read as a growth of {@code java.lang.String} in the host's histograms. Bounded too: past
 * {@value #CAPACITY} methods in a generation, a method is resolved without being cached.
 *
 * <p>A method ID stays valid while its class is loaded; one whose class was unloaded between the sample and the
 * drain no longer resolves, and its frame is dropped like a hidden one.
 */
final class JvmMethods {
    static final int CAPACITY = 20_000;

    private final LongFunction<String[]> describer;
    private final LongFunction<int[]> lineTables;
    private HashMap<Long, JvmMethod> current = new HashMap<>();
    private HashMap<Long, JvmMethod> previous = new HashMap<>();
    private CacheFootprint currentFootprint = new CacheFootprint();
    private CacheFootprint previousFootprint = new CacheFootprint();
    private CacheFootprint marked;
    /** Both generations as they stood at the last {@link #age()}, for any thread to read. */
    private volatile List<ClassCount> footprint = List.of();

    /**
     * @param describer  a method ID's declaring class signature, name and source file (null when unknown); null for
     *                   an ID that no longer resolves
     * @param lineTables a method ID's line table as pairs {first bytecode index, line}; null when it has none
     */
    JvmMethods(LongFunction<String[]> describer, LongFunction<int[]> lineTables) {
        this.describer = describer;
        this.lineTables = lineTables;
    }

    /**
     * The stack of one sample: its frames from {@code offset}, {@code frames} of them, without the hidden ones and
     * at most {@code maxDepth} long.
     */
    SampledStack stack(long[] methodIds, int[] bytecodeIndexes, int offset, int frames, int maxDepth) {
        JvmMethod[] methods = new JvmMethod[Math.min(frames, maxDepth)];
        int[] indexes = new int[methods.length];
        int kept = 0;
        for (int i = 0; i < frames && kept < methods.length; i++) {
            JvmMethod method = method(methodIds[offset + i]);
            if (!method.hidden()) {
                methods[kept] = method;
                indexes[kept] = bytecodeIndexes[offset + i];
                kept++;
            }
        }
        return new JvmStack(methods, indexes, kept);
    }

    /** Starts a new generation: methods used since the last call stay cached for one more, the others are forgotten. */
    void age() {
        // Both generations were held when this snapshot's histogram was taken; methods resolved since mark() (right
        // before the histogram) may not have been, and naming them would name more than the histogram has.
        CacheFootprint held = marked != null ? marked : currentFootprint;
        marked = null;
        footprint = held.rowsWith(previousFootprint);
        previous = current;
        previousFootprint = currentFootprint;
        current = new HashMap<>();
        currentFootprint = new CacheFootprint();
    }

    /** Remembers the current generation's size, right before a histogram, for the next {@link #age()} to report. */
    void mark() {
        marked = currentFootprint.copy();
    }

    /** The cache's objects in the heap when it was last aged, as histogram rows ({@code agentOwned}). */
    List<ClassCount> footprint() {
        return footprint;
    }

    /** Methods cached now, in both generations. */
    int cached() {
        return current.size() + previous.size();
    }

    private JvmMethod method(long methodId) {
        Long key = methodId;
        JvmMethod method = current.get(key);
        if (method != null) {
            return method;
        }
        method = previous.get(key);
        boolean carried = method != null;
        if (!carried) {
            method = resolve(methodId);
        }
        if (current.size() < CAPACITY) {
            current.put(key, method);
            if (carried) {
                previousFootprint.handOver(method); // one object, held by both maps: counted once, where it stays
            }
            currentFootprint.add(method);
        }
        return method;
    }

    private JvmMethod resolve(long methodId) {
        String[] description = describer.apply(methodId);
        if (description == null || description[0] == null || description[1] == null) {
            return JvmMethod.UNRESOLVED;
        }
        String signature = description[0];
        String className = className(signature);
        boolean hiddenClass = isHiddenClassSignature(signature);
        String methodName = description[1];
        return new JvmMethod(
                className,
                methodName,
                description[2],
                lineTables.apply(methodId),
                HiddenFrames.isHidden(className, methodName, hiddenClass));
    }

    /**
     * {@code Ljava/util/HashMap;} as {@link Class#getName()} spells it, {@code java.util.HashMap}. A hidden class's
     * signature ends in a suffix after a '.' ({@code Lcom/acme/Foo$$Lambda.0x0000000800c03000;}), which
     * {@link Class#getName()} writes after a '/'.
     */
    static String className(String signature) {
        String internal = signature.startsWith("L") && signature.endsWith(";")
                ? signature.substring(1, signature.length() - 1)
                : signature;
        int suffix = internal.indexOf('.');
        if (suffix >= 0) {
            return internal.substring(0, suffix).replace('/', '.') + "/" + internal.substring(suffix + 1);
        }
        return internal.replace('/', '.');
    }

    /** A hidden class's signature: a '.' before its suffix (JVMS names never hold one), or, in some JDKs, "/0x". */
    static boolean isHiddenClassSignature(String signature) {
        return signature.indexOf('.') >= 0 || signature.contains("/0x");
    }
}
