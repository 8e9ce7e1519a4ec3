package dev.leakwatch.agent.instrument;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.jar.asm.ConstantDynamic;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * Inserts {@code DUP; push siteId; INVOKESTATIC AllocationHook.allocated(Object, int)} right after each allocation
 * whose result is then on top of the operand stack:
 * <ul>
 *   <li>{@code NEW X; DUP; ...; INVOKESPECIAL X.<init>} (javac's pattern, nested or with branches in the arguments),
 *       and Groovy's {@code v; NEW X; DUP_X1; SWAP; INVOKESPECIAL X.<init>(v)}, after the constructor returned;</li>
 *   <li>{@code NEWARRAY}, {@code ANEWARRAY}, {@code MULTIANEWARRAY};</li>
 *   <li>calls that return a new object made outside of bytecode we instrument: array and {@code Object.clone()},
 *       {@code Array.newInstance}, {@code Constructor.newInstance}, {@code Class.newInstance}, and the
 *       {@code Arrays.copyOf} variants that C2 replaces by an intrinsic (see {@link #INTRINSIC_ALLOCATORS}).</li>
 * </ul>
 *
 * <p><b>Why no frame is recomputed.</b> The inserted sequence leaves the stack as it found it, touches no local,
 * adds no branch target and sits between an instruction and the next label, so every existing stack map frame stays
 * exact; only {@code max_stack} grows by 2. Frames are passed through untouched (no {@code COMPUTE_FRAMES}, which
 * would need the class hierarchy, cost time and could fail on classes whose supertypes do not resolve).
 *
 * <p><b>Why {@code new} is tracked so carefully.</b> Between {@code NEW} and its constructor call the object is
 * uninitialized; handing it to the hook would not verify. The visitor therefore follows the operand stack depth
 * instruction by instruction (from the stack map frames, jump targets and exception handlers) and instruments a
 * {@code new} only when {@code NEW} was directly followed by {@code DUP} (or {@code DUP_X1; SWAP}), the constructor
 * call's receiver sits exactly where that duplication put it, and no instruction in between reached down to the
 * two copies (nor did a frame replace them). Then the copy left after the constructor returned is the initialized
 * object. Anything else (other compilers' shapes, javac spilling the stack around a {@code try} inside a switch
 * expression, unknown depth after dead code) skips that site, counted in {@link Counters#skippedSites}, instead of
 * risking a {@code VerifyError}. The constructor's own {@code super(...)}/{@code this(...)} call never matches: its
 * receiver is {@code this}, not a tracked {@code NEW}.
 */
final class AllocationMethodVisitor extends MethodVisitor {
    static final String HOOK_OWNER = "dev/leakwatch/bootstrap/AllocationHook";
    static final String HOOK_NAME = "allocated";
    static final String HOOK_DESCRIPTOR = "(Ljava/lang/Object;I)V";

    /**
     * Allocating JDK methods that HotSpot's C2 replaces by an intrinsic at their call sites: once the caller is
     * compiled, a hook inside their bodies would never run, so their bodies are left alone and their call sites are
     * hooked instead (owner, name, descriptor; see vmIntrinsics {@code _copyOf}, {@code _copyOfRange},
     * {@code _toBytesStringU}). ArrayList's growth goes through the first one.
     */
    static final List<String[]> INTRINSIC_ALLOCATORS = List.of(
            new String[] {"java/util/Arrays", "copyOf", "([Ljava/lang/Object;ILjava/lang/Class;)[Ljava/lang/Object;"},
            new String[] {"java/util/Arrays", "copyOfRange",
                "([Ljava/lang/Object;IILjava/lang/Class;)[Ljava/lang/Object;"},
            new String[] {"java/lang/StringUTF16", "toBytes", "([CII)[B"});

    private static final int UNKNOWN = -1;
    /** More pending constructors than this in one expression is not javac's output: stop tracking. */
    private static final int MAX_PENDING = 256;

    /** Registers a site of the method being visited. */
    interface SiteIds {
        int id(int line, String allocatedType);
    }

    /** Shared per-transformation counters; plain longs, one visitor per thread at a time. */
    static final class Counters {
        long instrumentedSites;
        long skippedSites;
    }

    private final SiteIds siteIds;
    private final boolean hookArraysCopyCalls;
    private final Counters counters;

    private int line = -1;
    /** Operand stack depth in slots before the next instruction, or {@link #UNKNOWN}. */
    private int depth;
    /** Depths recorded for labels reached by jumps and exception handlers, filled lazily. */
    private Map<Label, Integer> labelDepths;
    /** The label at the current bytecode offset, until the next instruction. */
    private Label labelHere;
    /** Set when the depth model disagreed with the bytecode: no further {@code new} is instrumented. */
    private boolean untrackable;
    private boolean inserted;

    /** A NEW that has not been followed by its DUP (or DUP_X1, SWAP) yet. */
    private String newType;
    private boolean newSwapped;
    private int newDepth;
    private int newLine;
    private Label newLabel;

    private final List<Pending> pending = new ArrayList<>();

    /** A NEW + DUP awaiting its constructor call. */
    private static final class Pending {
        final String type;
        final int line;
        final Label label;
        /** Depth right after the DUP: the two copies occupy slots depthAfterDup - 2 and depthAfterDup - 1. */
        final int depthAfterDup;
        boolean tainted;

        Pending(String type, int line, Label label, int depthAfterDup) {
            this.type = type;
            this.line = line;
            this.label = label;
            this.depthAfterDup = depthAfterDup;
        }
    }

    AllocationMethodVisitor(MethodVisitor next, SiteIds siteIds, boolean hookArraysCopyCalls, Counters counters) {
        super(OpenedClassReader.ASM_API, next);
        this.siteIds = siteIds;
        this.hookArraysCopyCalls = hookArraysCopyCalls;
        this.counters = counters;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Non-instructions: labels, frames, line numbers, handlers.

    @Override
    public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
        super.visitTryCatchBlock(start, end, handler, type);
        recordDepth(handler, 1);
    }

    @Override
    public void visitLabel(Label label) {
        super.visitLabel(label);
        abandonNew();
        labelHere = label;
        Integer recorded = labelDepths == null ? null : labelDepths.get(label);
        if (recorded != null) {
            if (depth == UNKNOWN) {
                depth = recorded;
            } else if (depth != recorded) {
                distrust();
                depth = recorded;
            }
        }
    }

    @Override
    public void visitLineNumber(int line, Label start) {
        super.visitLineNumber(line, start);
        this.line = line;
    }

    @Override
    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
        super.visitFrame(type, numLocal, local, numStack, stack);
        abandonNew();
        int frameDepth;
        switch (type) {
            case Opcodes.F_NEW:
            case Opcodes.F_FULL:
                frameDepth = 0;
                for (int i = 0; i < numStack; i++) {
                    frameDepth += frameSlots(stack[i]);
                }
                break;
            case Opcodes.F_SAME1:
                frameDepth = frameSlots(stack[0]);
                break;
            default:
                frameDepth = 0;
        }
        if (depth != UNKNOWN && depth != frameDepth) {
            distrust();
        }
        depth = frameDepth;
        // The frame is what the verifier believes from here on: the pending copies must still be there, unchanged.
        for (Pending p : pending) {
            if (!p.tainted && (p.depthAfterDup > frameDepth || p.label == null
                    || stackEntryAt(stack, numStack, p.depthAfterDup - 2) != p.label
                    || stackEntryAt(stack, numStack, p.depthAfterDup - 1) != p.label)) {
                p.tainted = true;
            }
        }
    }

    @Override
    public void visitEnd() {
        abandonNew();
        dropPending(0);
        super.visitEnd();
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
        if (inserted && maxStack + 2 > 0xFFFF) {
            throw new IllegalStateException("max_stack would exceed 65535");
        }
        super.visitMaxs(inserted ? maxStack + 2 : maxStack, maxLocals);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Instructions. Each one: check what it pops against the pending copies, emit it, update the depth, hook.

    @Override
    public void visitInsn(int opcode) {
        if (newType != null && !newSwapped && (opcode == Opcodes.DUP || opcode == Opcodes.DUP_X1)) {
            int pops = opcode == Opcodes.DUP ? 1 : 2;
            before(pops);
            super.visitInsn(opcode);
            after(pops, pops + 1);
            if (opcode == Opcodes.DUP) {
                // javac: NEW X; DUP -> the two copies on top.
                track(newDepth + 2);
            } else {
                newSwapped = true; // NEW X; DUP_X1 must be followed by SWAP
            }
            return;
        }
        if (newType != null && newSwapped && opcode == Opcodes.SWAP) {
            before(2);
            super.visitInsn(opcode);
            after(2, 2);
            // Groovy: v; NEW X; DUP_X1; SWAP -> copy, copy, v: the copies sit just below the argument v.
            track(newDepth + 1);
            return;
        }
        abandonNew();
        int pops = insnPops(opcode);
        int pushes = insnPushes(opcode);
        before(pops);
        super.visitInsn(opcode);
        if (isTerminal(opcode)) {
            depth = UNKNOWN;
            labelHere = null;
        } else {
            after(pops, pushes);
        }
    }

    @Override
    public void visitIntInsn(int opcode, int operand) {
        abandonNew();
        int pops = opcode == Opcodes.NEWARRAY ? 1 : 0;
        before(pops);
        super.visitIntInsn(opcode, operand);
        after(pops, 1);
        if (opcode == Opcodes.NEWARRAY) {
            hook(line, primitiveArrayType(operand));
        }
    }

    @Override
    public void visitVarInsn(int opcode, int var) {
        abandonNew();
        int pops;
        int pushes;
        switch (opcode) {
            case Opcodes.ILOAD: case Opcodes.FLOAD: case Opcodes.ALOAD:
                pops = 0;
                pushes = 1;
                break;
            case Opcodes.LLOAD: case Opcodes.DLOAD:
                pops = 0;
                pushes = 2;
                break;
            case Opcodes.ISTORE: case Opcodes.FSTORE: case Opcodes.ASTORE:
                pops = 1;
                pushes = 0;
                break;
            case Opcodes.LSTORE: case Opcodes.DSTORE:
                pops = 2;
                pushes = 0;
                break;
            default: // RET
                before(0);
                super.visitVarInsn(opcode, var);
                depth = UNKNOWN;
                labelHere = null;
                return;
        }
        before(pops);
        super.visitVarInsn(opcode, var);
        after(pops, pushes);
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
        abandonNew();
        if (opcode == Opcodes.NEW) {
            before(0);
            int depthBefore = depth;
            Label label = labelHere;
            super.visitTypeInsn(opcode, type);
            after(0, 1);
            newType = type;
            newDepth = depthBefore;
            newLine = line;
            newLabel = label;
            return;
        }
        before(1);
        super.visitTypeInsn(opcode, type);
        after(1, 1);
        if (opcode == Opcodes.ANEWARRAY) {
            hook(line, binaryName(type) + "[]");
        }
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
        abandonNew();
        int size = Type.getType(descriptor).getSize();
        int pops;
        int pushes;
        switch (opcode) {
            case Opcodes.GETSTATIC:
                pops = 0;
                pushes = size;
                break;
            case Opcodes.PUTSTATIC:
                pops = size;
                pushes = 0;
                break;
            case Opcodes.GETFIELD:
                pops = 1;
                pushes = size;
                break;
            default: // PUTFIELD
                pops = 1 + size;
                pushes = 0;
        }
        before(pops);
        super.visitFieldInsn(opcode, owner, name, descriptor);
        after(pops, pushes);
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
        abandonNew();
        int argumentsAndReturn = Type.getArgumentsAndReturnSizes(descriptor);
        int argumentSlots = (argumentsAndReturn >> 2) - 1; // without the receiver
        int returnSlots = argumentsAndReturn & 0x3;
        int pops = argumentSlots + (opcode == Opcodes.INVOKESTATIC ? 0 : 1);

        Pending constructed = null;
        if (opcode == Opcodes.INVOKESPECIAL && "<init>".equals(name)) {
            constructed = matchConstructed(owner, argumentSlots);
        }
        before(pops);
        super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
        after(pops, returnSlots);
        if (constructed != null) {
            // The constructor returned: the DUP's copy below the receiver is now the initialized object, on top.
            hook(constructed.line, binaryName(constructed.type));
            return;
        }
        String allocated = callAllocation(opcode, owner, name, descriptor);
        if (allocated != null) {
            hook(line, allocated);
        }
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... arguments) {
        abandonNew();
        int argumentsAndReturn = Type.getArgumentsAndReturnSizes(descriptor);
        int pops = (argumentsAndReturn >> 2) - 1;
        before(pops);
        super.visitInvokeDynamicInsn(name, descriptor, bootstrap, arguments);
        after(pops, argumentsAndReturn & 0x3);
    }

    @Override
    public void visitJumpInsn(int opcode, Label target) {
        abandonNew();
        switch (opcode) {
            case Opcodes.GOTO:
                before(0);
                super.visitJumpInsn(opcode, target);
                recordDepth(target, depth);
                depth = UNKNOWN;
                labelHere = null;
                return;
            case Opcodes.JSR:
                before(0);
                super.visitJumpInsn(opcode, target);
                // The subroutine starts with the return address pushed; execution resumes here without it.
                recordDepth(target, depth == UNKNOWN ? UNKNOWN : depth + 1);
                labelHere = null;
                return;
            case Opcodes.IF_ICMPEQ: case Opcodes.IF_ICMPNE: case Opcodes.IF_ICMPLT: case Opcodes.IF_ICMPGE:
            case Opcodes.IF_ICMPGT: case Opcodes.IF_ICMPLE: case Opcodes.IF_ACMPEQ: case Opcodes.IF_ACMPNE:
                before(2);
                super.visitJumpInsn(opcode, target);
                after(2, 0);
                recordDepth(target, depth);
                return;
            default: // IFEQ .. IFLE, IFNULL, IFNONNULL
                before(1);
                super.visitJumpInsn(opcode, target);
                after(1, 0);
                recordDepth(target, depth);
        }
    }

    @Override
    public void visitLdcInsn(Object value) {
        abandonNew();
        before(0);
        super.visitLdcInsn(value);
        boolean wide = value instanceof Long || value instanceof Double
                || value instanceof ConstantDynamic && ((ConstantDynamic) value).getSize() == 2;
        after(0, wide ? 2 : 1);
    }

    @Override
    public void visitIincInsn(int var, int increment) {
        abandonNew();
        before(0);
        super.visitIincInsn(var, increment);
        after(0, 0);
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label defaultTarget, Label... targets) {
        abandonNew();
        before(1);
        super.visitTableSwitchInsn(min, max, defaultTarget, targets);
        switched(defaultTarget, targets);
    }

    @Override
    public void visitLookupSwitchInsn(Label defaultTarget, int[] keys, Label[] targets) {
        abandonNew();
        before(1);
        super.visitLookupSwitchInsn(defaultTarget, keys, targets);
        switched(defaultTarget, targets);
    }

    @Override
    public void visitMultiANewArrayInsn(String descriptor, int dimensions) {
        abandonNew();
        before(dimensions);
        super.visitMultiANewArrayInsn(descriptor, dimensions);
        after(dimensions, 1);
        hook(line, Type.getType(descriptor).getClassName());
    }

    // ---------------------------------------------------------------------------------------------------------

    /**
     * The pending {@code new} whose receiver copy sits where this constructor call's receiver is, or null (the
     * constructor's own super()/this() call, or a pattern we do not trust). Pending entries above the match were
     * never constructed in this linear order and are dropped.
     */
    private Pending matchConstructed(String owner, int argumentSlots) {
        if (depth == UNKNOWN) {
            return null;
        }
        int receiverTop = depth - argumentSlots; // depth with the receiver on top, arguments popped
        for (int i = pending.size() - 1; i >= 0; i--) {
            Pending p = pending.get(i);
            if (p.depthAfterDup == receiverTop) {
                dropPending(i + 1);
                pending.remove(i);
                if (p.tainted || untrackable || !p.type.equals(owner)) {
                    counters.skippedSites++;
                    return null;
                }
                return p;
            }
            if (p.depthAfterDup < receiverTop) {
                break;
            }
        }
        return null;
    }

    /** Pending entries from index {@code from} up will never be matched: their sites are skipped. */
    private void dropPending(int from) {
        if (from < pending.size()) {
            counters.skippedSites += pending.size() - from;
            pending.subList(from, pending.size()).clear();
        }
    }

    /** Before an instruction that pops {@code pops} slots: pending copies it reaches down to are no longer trusted. */
    private void before(int pops) {
        if (pending.isEmpty()) {
            return;
        }
        if (depth == UNKNOWN) {
            taintAll();
            return;
        }
        int lowWater = depth - pops;
        for (int i = pending.size() - 1; i >= 0; i--) {
            Pending p = pending.get(i);
            if (p.depthAfterDup <= lowWater) {
                break;
            }
            p.tainted = true;
        }
    }

    private void after(int pops, int pushes) {
        if (depth != UNKNOWN) {
            depth = depth - pops + pushes;
            if (depth < 0) {
                distrust();
                depth = UNKNOWN;
            }
        }
        labelHere = null;
    }

    private void switched(Label defaultTarget, Label[] targets) {
        int after = depth == UNKNOWN ? UNKNOWN : depth - 1;
        recordDepth(defaultTarget, after);
        for (Label target : targets) {
            recordDepth(target, after);
        }
        depth = UNKNOWN;
        labelHere = null;
    }

    private void recordDepth(Label label, int labelDepth) {
        if (labelDepth == UNKNOWN) {
            return;
        }
        if (labelDepths == null) {
            labelDepths = new IdentityHashMap<>();
        }
        Integer previous = labelDepths.putIfAbsent(label, labelDepth);
        if (previous != null && previous != labelDepth) {
            distrust();
        }
    }

    /** The NEW's two copies are in place, ending at {@code depthAfterDup}: wait for its constructor call. */
    private void track(int depthAfterDup) {
        if (newDepth != UNKNOWN && !untrackable && pending.size() < MAX_PENDING) {
            pending.add(new Pending(newType, newLine, newLabel, depthAfterDup));
        } else {
            counters.skippedSites++;
        }
        newType = null;
        newSwapped = false;
    }

    /** A NEW not followed by one of the recognised duplications: its site is skipped. */
    private void abandonNew() {
        if (newType != null) {
            newType = null;
            newSwapped = false;
            counters.skippedSites++;
        }
    }

    private void distrust() {
        untrackable = true;
        taintAll();
    }

    private void taintAll() {
        for (Pending p : pending) {
            p.tainted = true;
        }
    }

    private void hook(int siteLine, String allocatedType) {
        int id = siteIds.id(siteLine, allocatedType);
        super.visitInsn(Opcodes.DUP);
        pushInt(id);
        super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK_OWNER, HOOK_NAME, HOOK_DESCRIPTOR, false);
        inserted = true;
        counters.instrumentedSites++;
    }

    private void pushInt(int value) {
        if (value >= -1 && value <= 5) {
            super.visitInsn(Opcodes.ICONST_0 + value);
        } else if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
            super.visitIntInsn(Opcodes.BIPUSH, value);
        } else if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
            super.visitIntInsn(Opcodes.SIPUSH, value);
        } else {
            super.visitLdcInsn(value);
        }
    }

    /** The allocated type of a call that returns a new object made outside instrumented bytecode, or null. */
    private String callAllocation(int opcode, String owner, String name, String descriptor) {
        switch (opcode) {
            case Opcodes.INVOKESTATIC:
                if (owner.equals("java/util/Arrays") && (name.equals("copyOf") || name.equals("copyOfRange"))) {
                    return hookArraysCopyCalls || isIntrinsicAllocator(owner, name, descriptor)
                            ? Type.getReturnType(descriptor).getClassName() : null;
                }
                if (owner.equals("java/lang/StringUTF16") && isIntrinsicAllocator(owner, name, descriptor)) {
                    return "byte[]";
                }
                if (owner.equals("java/lang/reflect/Array") && name.equals("newInstance")) {
                    return "java.lang.Object";
                }
                return null;
            case Opcodes.INVOKEVIRTUAL:
            case Opcodes.INVOKESPECIAL:
                if (name.equals("clone") && descriptor.equals("()Ljava/lang/Object;")) {
                    if (owner.startsWith("[")) {
                        return Type.getType(owner).getClassName();
                    }
                    return owner.equals("java/lang/Object") ? "java.lang.Object" : null;
                }
                if (opcode == Opcodes.INVOKEVIRTUAL && name.equals("newInstance")
                        && (owner.equals("java/lang/reflect/Constructor")
                            && descriptor.equals("([Ljava/lang/Object;)Ljava/lang/Object;")
                            || owner.equals("java/lang/Class") && descriptor.equals("()Ljava/lang/Object;"))) {
                    return "java.lang.Object";
                }
                return null;
            default:
                return null;
        }
    }

    static boolean isIntrinsicAllocator(String owner, String name, String descriptor) {
        for (String[] intrinsic : INTRINSIC_ALLOCATORS) {
            if (intrinsic[0].equals(owner) && intrinsic[1].equals(name) && intrinsic[2].equals(descriptor)) {
                return true;
            }
        }
        return false;
    }

    /** {@code java/lang/String} to {@code java.lang.String}, {@code [I} to {@code int[]}. */
    static String binaryName(String internalNameOrDescriptor) {
        return internalNameOrDescriptor.startsWith("[")
                ? Type.getType(internalNameOrDescriptor).getClassName()
                : internalNameOrDescriptor.replace('/', '.');
    }

    static String primitiveArrayType(int operand) {
        switch (operand) {
            case Opcodes.T_BOOLEAN: return "boolean[]";
            case Opcodes.T_CHAR: return "char[]";
            case Opcodes.T_FLOAT: return "float[]";
            case Opcodes.T_DOUBLE: return "double[]";
            case Opcodes.T_BYTE: return "byte[]";
            case Opcodes.T_SHORT: return "short[]";
            case Opcodes.T_INT: return "int[]";
            case Opcodes.T_LONG: return "long[]";
            default: return "java.lang.Object";
        }
    }

    private static int frameSlots(Object frameType) {
        return Opcodes.LONG.equals(frameType) || Opcodes.DOUBLE.equals(frameType) ? 2 : 1;
    }

    /** The frame's stack entry that covers slot {@code slot}, or null. */
    private static Object stackEntryAt(Object[] stack, int numStack, int slot) {
        int at = 0;
        for (int i = 0; i < numStack; i++) {
            int size = frameSlots(stack[i]);
            if (slot < at + size) {
                return slot == at ? stack[i] : null;
            }
            at += size;
        }
        return null;
    }

    private static boolean isTerminal(int opcode) {
        return opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN || opcode == Opcodes.ATHROW;
    }

    /** Slots a zero-operand instruction pops (JVMS chapter 6, in slots: long and double take two). */
    private static int insnPops(int opcode) {
        switch (opcode) {
            case Opcodes.NOP: case Opcodes.ACONST_NULL:
            case Opcodes.ICONST_M1: case Opcodes.ICONST_0: case Opcodes.ICONST_1: case Opcodes.ICONST_2:
            case Opcodes.ICONST_3: case Opcodes.ICONST_4: case Opcodes.ICONST_5:
            case Opcodes.LCONST_0: case Opcodes.LCONST_1: case Opcodes.FCONST_0: case Opcodes.FCONST_1:
            case Opcodes.FCONST_2: case Opcodes.DCONST_0: case Opcodes.DCONST_1: case Opcodes.RETURN:
                return 0;
            case Opcodes.INEG: case Opcodes.FNEG: case Opcodes.I2F: case Opcodes.F2I: case Opcodes.I2B:
            case Opcodes.I2C: case Opcodes.I2S: case Opcodes.I2L: case Opcodes.I2D: case Opcodes.F2L:
            case Opcodes.F2D: case Opcodes.ARRAYLENGTH: case Opcodes.POP: case Opcodes.DUP:
            case Opcodes.IRETURN: case Opcodes.FRETURN: case Opcodes.ARETURN: case Opcodes.ATHROW:
            case Opcodes.MONITORENTER: case Opcodes.MONITOREXIT:
                return 1;
            case Opcodes.LNEG: case Opcodes.DNEG: case Opcodes.L2I: case Opcodes.L2F: case Opcodes.L2D:
            case Opcodes.D2I: case Opcodes.D2L: case Opcodes.D2F: case Opcodes.POP2: case Opcodes.DUP2:
            case Opcodes.DUP_X1: case Opcodes.SWAP: case Opcodes.LRETURN: case Opcodes.DRETURN:
            case Opcodes.IADD: case Opcodes.ISUB: case Opcodes.IMUL: case Opcodes.IDIV: case Opcodes.IREM:
            case Opcodes.ISHL: case Opcodes.ISHR: case Opcodes.IUSHR: case Opcodes.IAND: case Opcodes.IOR:
            case Opcodes.IXOR: case Opcodes.FADD: case Opcodes.FSUB: case Opcodes.FMUL: case Opcodes.FDIV:
            case Opcodes.FREM: case Opcodes.FCMPL: case Opcodes.FCMPG:
            case Opcodes.IALOAD: case Opcodes.LALOAD: case Opcodes.FALOAD: case Opcodes.DALOAD:
            case Opcodes.AALOAD: case Opcodes.BALOAD: case Opcodes.CALOAD: case Opcodes.SALOAD:
                return 2;
            case Opcodes.DUP_X2: case Opcodes.DUP2_X1: case Opcodes.LSHL: case Opcodes.LSHR: case Opcodes.LUSHR:
            case Opcodes.IASTORE: case Opcodes.FASTORE: case Opcodes.AASTORE: case Opcodes.BASTORE:
            case Opcodes.CASTORE: case Opcodes.SASTORE:
                return 3;
            case Opcodes.DUP2_X2: case Opcodes.LADD: case Opcodes.LSUB: case Opcodes.LMUL: case Opcodes.LDIV:
            case Opcodes.LREM: case Opcodes.LAND: case Opcodes.LOR: case Opcodes.LXOR: case Opcodes.DADD:
            case Opcodes.DSUB: case Opcodes.DMUL: case Opcodes.DDIV: case Opcodes.DREM: case Opcodes.LCMP:
            case Opcodes.DCMPL: case Opcodes.DCMPG: case Opcodes.LASTORE: case Opcodes.DASTORE:
                return 4;
            default:
                throw new IllegalArgumentException("unexpected opcode " + opcode);
        }
    }

    /** Slots a zero-operand instruction pushes. */
    private static int insnPushes(int opcode) {
        switch (opcode) {
            case Opcodes.NOP: case Opcodes.POP: case Opcodes.POP2: case Opcodes.RETURN: case Opcodes.IRETURN:
            case Opcodes.LRETURN: case Opcodes.FRETURN: case Opcodes.DRETURN: case Opcodes.ARETURN:
            case Opcodes.ATHROW: case Opcodes.MONITORENTER: case Opcodes.MONITOREXIT:
            case Opcodes.IASTORE: case Opcodes.LASTORE: case Opcodes.FASTORE: case Opcodes.DASTORE:
            case Opcodes.AASTORE: case Opcodes.BASTORE: case Opcodes.CASTORE: case Opcodes.SASTORE:
                return 0;
            case Opcodes.ACONST_NULL: case Opcodes.ICONST_M1: case Opcodes.ICONST_0: case Opcodes.ICONST_1:
            case Opcodes.ICONST_2: case Opcodes.ICONST_3: case Opcodes.ICONST_4: case Opcodes.ICONST_5:
            case Opcodes.FCONST_0: case Opcodes.FCONST_1: case Opcodes.FCONST_2:
            case Opcodes.INEG: case Opcodes.FNEG: case Opcodes.I2F: case Opcodes.F2I: case Opcodes.I2B:
            case Opcodes.I2C: case Opcodes.I2S: case Opcodes.L2I: case Opcodes.L2F: case Opcodes.D2I:
            case Opcodes.D2F: case Opcodes.ARRAYLENGTH:
            case Opcodes.IADD: case Opcodes.ISUB: case Opcodes.IMUL: case Opcodes.IDIV: case Opcodes.IREM:
            case Opcodes.ISHL: case Opcodes.ISHR: case Opcodes.IUSHR: case Opcodes.IAND: case Opcodes.IOR:
            case Opcodes.IXOR: case Opcodes.FADD: case Opcodes.FSUB: case Opcodes.FMUL: case Opcodes.FDIV:
            case Opcodes.FREM: case Opcodes.FCMPL: case Opcodes.FCMPG: case Opcodes.LCMP: case Opcodes.DCMPL:
            case Opcodes.DCMPG:
            case Opcodes.IALOAD: case Opcodes.FALOAD: case Opcodes.AALOAD: case Opcodes.BALOAD:
            case Opcodes.CALOAD: case Opcodes.SALOAD:
                return 1;
            case Opcodes.LCONST_0: case Opcodes.LCONST_1: case Opcodes.DCONST_0: case Opcodes.DCONST_1:
            case Opcodes.LNEG: case Opcodes.DNEG: case Opcodes.I2L: case Opcodes.I2D: case Opcodes.F2L:
            case Opcodes.F2D: case Opcodes.L2D: case Opcodes.D2L: case Opcodes.SWAP: case Opcodes.DUP:
            case Opcodes.LSHL: case Opcodes.LSHR: case Opcodes.LUSHR:
            case Opcodes.LADD: case Opcodes.LSUB: case Opcodes.LMUL: case Opcodes.LDIV: case Opcodes.LREM:
            case Opcodes.LAND: case Opcodes.LOR: case Opcodes.LXOR: case Opcodes.DADD: case Opcodes.DSUB:
            case Opcodes.DMUL: case Opcodes.DDIV: case Opcodes.DREM: case Opcodes.LALOAD: case Opcodes.DALOAD:
                return 2;
            case Opcodes.DUP_X1:
                return 3;
            case Opcodes.DUP_X2: case Opcodes.DUP2:
                return 4;
            case Opcodes.DUP2_X1:
                return 5;
            case Opcodes.DUP2_X2:
                return 6;
            default:
                throw new IllegalArgumentException("unexpected opcode " + opcode);
        }
    }
}
