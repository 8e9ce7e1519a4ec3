package dev.leakwatch.agent.instrument;

import java.util.Set;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * Wraps each method that may allocate (as {@link AllocationScan} found) in an {@link AllocationMethodVisitor},
 * registering its sites under this class's name and source file; the other methods go to the writer untouched.
 * Changes method bodies only: no field, method or attribute is added, so the result can
 * replace an already-loaded class (retransformation) and be undone.
 */
final class AllocationClassVisitor extends ClassVisitor {
    /** Receives a class's counters once it was visited. */
    interface Sink {
        void visited(AllocationMethodVisitor.Counters counters);
    }

    private final SiteRegistry registry;
    private final boolean hookArraysCopyCalls;
    private final Set<String> mayAllocate;
    private final Set<String> leaveAlone;
    private final Sink sink;
    private final AllocationMethodVisitor.Counters counters = new AllocationMethodVisitor.Counters();
    private String internalName;
    private String className;
    private String sourceFile;

    /**
     * @param mayAllocate methods (name + descriptor) to instrument: the others are handed to {@code next} unwrapped,
     *                    which a {@code ClassWriter} built on the same reader copies without decoding them
     * @param leaveAlone  methods (name + descriptor) not to instrument even so
     */
    AllocationClassVisitor(
            ClassVisitor next,
            SiteRegistry registry,
            boolean hookArraysCopyCalls,
            Set<String> mayAllocate,
            Set<String> leaveAlone,
            Sink sink) {
        super(OpenedClassReader.ASM_API, next);
        this.registry = registry;
        this.hookArraysCopyCalls = hookArraysCopyCalls;
        this.mayAllocate = mayAllocate;
        this.leaveAlone = leaveAlone;
        this.sink = sink;
    }

    @Override
    public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
        super.visit(version, access, name, signature, superName, interfaces);
        internalName = name;
        className = name.replace('/', '.');
    }

    @Override
    public void visitSource(String source, String debug) {
        super.visitSource(source, debug);
        sourceFile = source;
    }

    @Override
    public MethodVisitor visitMethod(
            int access, String name, String descriptor, String signature, String[] exceptions) {
        MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
        if (next == null
                || (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0
                || AllocatedTypes.isIntrinsicAllocator(internalName, name, descriptor)
                || !mayAllocate.contains(name + descriptor)
                || leaveAlone.contains(name + descriptor)) {
            return next;
        }
        return new AllocationMethodVisitor(
                next,
                (line, allocatedType) ->
                        registry.register(className, sourceFile, name, descriptor, line, allocatedType),
                hookArraysCopyCalls,
                counters);
    }

    @Override
    public void visitEnd() {
        super.visitEnd();
        sink.visited(counters);
    }
}
