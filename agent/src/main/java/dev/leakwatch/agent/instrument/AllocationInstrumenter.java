package dev.leakwatch.agent.instrument;

import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * The allocation-site transformation of one class file, without an agent: what {@link AllocationTransformer} applies
 * through byte-buddy, and what the tests apply through an instrumenting class loader.
 *
 * <p>Neither frames nor the class hierarchy are computed: see {@link AllocationMethodVisitor} for why the existing
 * stack map frames stay exact. Only the methods that {@link AllocationScan} finds allocation instructions in are
 * decoded and re-encoded; the others, and classes without any, are copied as they are.
 */
public final class AllocationInstrumenter {
    /**
     * HotSpot never compiles a method with more bytecode than this ({@code -XX:HugeMethodLimit}, with
     * {@code DontCompileHugeMethods} on by default): a method that our sites alone would push past it keeps its
     * original code, or it would run interpreted for good. 3 of 44,768 methods in Groovy, H2 and Jackson were.
     */
    static final int HUGE_METHOD_LIMIT = 8000;

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
        Set<String> mayAllocate = AllocationScan.methodsThatMayAllocate(reader);
        if (mayAllocate.isEmpty()) {
            return classFile;
        }
        Pass pass = transform(reader, mayAllocate, Set.of());
        if (pass.counters.instrumentedSites > 0) {
            Set<String> pushedPastLimit = CodeLengths.grownPast(reader, pass.bytes, HUGE_METHOD_LIMIT);
            if (!pushedPastLimit.isEmpty()) {
                pass = transform(reader, mayAllocate, pushedPastLimit);
            }
        }
        instrumentedSites.add(pass.counters.instrumentedSites);
        skippedSites.add(pass.counters.skippedSites);
        return pass.counters.instrumentedSites == 0 ? classFile : pass.bytes;
    }

    /**
     * One transformation of the class: the methods in {@code mayAllocate} (name + descriptor) are visited, except those
     * in {@code leaveAlone}; every other method is copied byte for byte (the writer shares the reader's constant pool).
     */
    private Pass transform(ClassReader reader, Set<String> mayAllocate, Set<String> leaveAlone) {
        ClassWriter writer = new ClassWriter(reader, 0);
        AllocationMethodVisitor.Counters[] visited = {new AllocationMethodVisitor.Counters()};
        reader.accept(
                new AllocationClassVisitor(
                        writer,
                        registry,
                        hookArraysCopyCalls,
                        mayAllocate,
                        leaveAlone,
                        counters -> visited[0] = counters),
                0);
        return new Pass(writer.toByteArray(), visited[0]);
    }

    private static final class Pass {
        final byte[] bytes;
        final AllocationMethodVisitor.Counters counters;

        Pass(byte[] bytes, AllocationMethodVisitor.Counters counters) {
            this.bytes = bytes;
            this.counters = counters;
        }
    }

    /** {@link #instrument}, or the original bytes on any failure. */
    public byte[] instrumentOrOriginal(byte[] classFile) {
        try {
            return instrument(classFile);
        } catch (Throwable t) {
            return classFile;
        }
    }

    /** Sites hooked so far, in the classes instrumented. */
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
}
