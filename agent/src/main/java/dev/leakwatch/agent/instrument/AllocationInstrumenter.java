package dev.leakwatch.agent.instrument;

import java.util.concurrent.atomic.LongAdder;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * The allocation-site transformation of one class file, without an agent: what {@link AllocationTransformer} applies
 * through byte-buddy, and what the tests apply through an instrumenting class loader.
 *
 * <p>Neither frames nor the class hierarchy are computed: see {@link AllocationMethodVisitor} for why the existing
 * stack map frames stay exact.
 */
public final class AllocationInstrumenter {
    private final SiteRegistry registry;
    private final boolean hookArraysCopyCalls;
    private final LongAdder instrumentedSites = new LongAdder();
    private final LongAdder skippedSites = new LongAdder();

    /**
     * @param hookArraysCopyCalls also hook every call to {@code java.util.Arrays.copyOf*}/{@code copyOfRange*}:
     *                            right when {@code java.util.Arrays} itself is not instrumented, double counting when
     *                            it is (the intrinsic variants' call sites are hooked either way)
     */
    public AllocationInstrumenter(SiteRegistry registry, boolean hookArraysCopyCalls) {
        this.registry = registry;
        this.hookArraysCopyCalls = hookArraysCopyCalls;
    }

    /**
     * The class file with its allocation sites hooked, or {@code classFile} itself when it has none.
     *
     * @throws RuntimeException when the class cannot be transformed, for example
     *                          {@code MethodTooLargeException} when a method would exceed 64 KB of code
     */
    public byte[] instrument(byte[] classFile) {
        ClassReader reader = OpenedClassReader.of(classFile);
        ClassWriter writer = new ClassWriter(reader, 0);
        long[] inserted = {0};
        reader.accept(wrap(writer, counters -> inserted[0] = counters.instrumentedSites), 0);
        byte[] result = writer.toByteArray();
        return inserted[0] == 0 ? classFile : result;
    }

    /** {@link #instrument}, or the original bytes on any failure. */
    public byte[] instrumentOrOriginal(byte[] classFile) {
        try {
            return instrument(classFile);
        } catch (Throwable t) {
            return classFile;
        }
    }

    /** Sites hooked so far, over all classes visited (including classes whose transformation failed later). */
    public long instrumentedSites() {
        return instrumentedSites.sum();
    }

    /** {@code new} sites left alone because their bytecode was not the pattern the visitor can prove safe. */
    public long skippedSites() {
        return skippedSites.sum();
    }

    public SiteRegistry registry() {
        return registry;
    }

    ClassVisitor wrap(ClassVisitor next) {
        return wrap(next, counters -> { });
    }

    private ClassVisitor wrap(ClassVisitor next, AllocationClassVisitor.Sink also) {
        return new AllocationClassVisitor(next, registry, hookArraysCopyCalls, counters -> {
            instrumentedSites.add(counters.instrumentedSites);
            skippedSites.add(counters.skippedSites);
            also.visited(counters);
        });
    }
}
