package dev.leakwatch.agent.instrument;

import java.util.ArrayList;
import java.util.List;
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
 *       {@code Arrays.copyOf} variants that C2 replaces by an intrinsic (see {@link AllocatedTypes}).</li>
 * </ul>
 *
 * <p><b>Why no frame is recomputed.</b> The inserted sequence leaves the stack as it found it, touches no local,
 * adds no branch target and sits between an instruction and the next label, so every existing stack map frame stays
 * exact; only {@code max_stack} grows by 2. Frames are passed through untouched (no {@code COMPUTE_FRAMES}, which
 * would need the class hierarchy, cost time and could fail on classes whose supertypes do not resolve).
 *
 * <p><b>Why {@code new} is tracked so carefully.</b> Between {@code NEW} and its constructor call the object is
 * uninitialized; handing it to the hook would not verify. The visitor therefore follows the operand stack depth
 * instruction by instruction ({@link OperandStack}: from the stack map frames, jump targets and exception handlers)
 * and instruments a {@code new} only when {@code NEW} was directly followed by {@code DUP} (or
 * {@code DUP_X1; SWAP}), the constructor call's receiver sits exactly where that duplication put it, and no
 * instruction in between reached down to the two copies (nor did a frame replace them). Then the copy left after the
 * constructor returned is the initialized object. Anything else (other compilers' shapes, javac spilling the stack
 * around a {@code try} inside a switch expression, unknown depth after dead code, a depth the bytecode contradicted)
 * skips that site, counted in {@link Counters#skippedSites}, instead of risking a {@code VerifyError}. The
 * constructor's own {@code super(...)}/{@code this(...)} call never matches: its receiver is {@code this}, not a
 * tracked {@code NEW}.
 */
final class AllocationMethodVisitor extends MethodVisitor {
    static final String HOOK_OWNER = "dev/leakwatch/bootstrap/AllocationHook";
    static final String HOOK_NAME = "allocated";
    static final String HOOK_DESCRIPTOR = "(Ljava/lang/Object;I)V";

    private static final int UNKNOWN = OperandStack.UNKNOWN;
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
    private final OperandStack stack = new OperandStack();

    private int line = -1;
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
        /** The label at the NEW: a frame names the uninitialized object by it. */
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
        stack.visitTryCatchBlock(start, end, handler, type);
    }

    @Override
    public void visitLabel(Label label) {
        super.visitLabel(label);
        abandonNew();
        stack.visitLabel(label);
    }

    @Override
    public void visitLineNumber(int line, Label start) {
        super.visitLineNumber(line, start);
        this.line = line;
    }

    @Override
    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] frameStack) {
        super.visitFrame(type, numLocal, local, numStack, frameStack);
        abandonNew();
        stack.visitFrame(type, numLocal, local, numStack, frameStack);
        // The frame is what the verifier believes from here on: the pending copies must still be there, unchanged.
        int frameDepth = stack.depth();
        for (Pending p : pending) {
            if (!p.tainted
                    && (p.depthAfterDup > frameDepth
                            || p.label == null
                            || OperandStack.frameEntryAt(frameStack, numStack, p.depthAfterDup - 2) != p.label
                            || OperandStack.frameEntryAt(frameStack, numStack, p.depthAfterDup - 1) != p.label)) {
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
    // Instructions. Each one: the depth model (first: it throws on an opcode no class file holds, before anything of
    // the instruction is written), the pending copies the instruction reached down to, the next visitor, a hook.

    @Override
    public void visitInsn(int opcode) {
        boolean duplicatesNew = newType != null && !newSwapped && (opcode == Opcodes.DUP || opcode == Opcodes.DUP_X1);
        boolean swapsNew = newType != null && newSwapped && opcode == Opcodes.SWAP;
        if (!duplicatesNew && !swapsNew) {
            abandonNew();
        }
        stack.visitInsn(opcode);
        reached();
        super.visitInsn(opcode);
        if (duplicatesNew && opcode == Opcodes.DUP) {
            // javac: NEW X; DUP -> the two copies on top.
            track(newDepth + 2);
        } else if (duplicatesNew) {
            newSwapped = true; // NEW X; DUP_X1 must be followed by SWAP
        } else if (swapsNew) {
            // Groovy: v; NEW X; DUP_X1; SWAP -> copy, copy, v: the copies sit just below the argument v.
            track(newDepth + 1);
        }
    }

    @Override
    public void visitIntInsn(int opcode, int operand) {
        abandonNew();
        stack.visitIntInsn(opcode, operand);
        reached();
        super.visitIntInsn(opcode, operand);
        if (opcode == Opcodes.NEWARRAY) {
            hook(line, AllocatedTypes.ofNewArray(operand));
        }
    }

    @Override
    public void visitVarInsn(int opcode, int var) {
        abandonNew();
        stack.visitVarInsn(opcode, var);
        reached();
        super.visitVarInsn(opcode, var);
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
        abandonNew();
        int depthBefore = stack.depth();
        Label label = stack.labelHere();
        stack.visitTypeInsn(opcode, type);
        reached();
        super.visitTypeInsn(opcode, type);
        if (opcode == Opcodes.NEW) {
            newType = type;
            newDepth = depthBefore;
            newLine = line;
            newLabel = label;
        } else if (opcode == Opcodes.ANEWARRAY) {
            hook(line, AllocatedTypes.binaryName(type) + "[]");
        }
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
        abandonNew();
        stack.visitFieldInsn(opcode, owner, name, descriptor);
        reached();
        super.visitFieldInsn(opcode, owner, name, descriptor);
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
        abandonNew();
        Pending constructed = null;
        if (opcode == Opcodes.INVOKESPECIAL && "<init>".equals(name)) {
            constructed = matchConstructed(owner, OperandStack.argumentSlots(descriptor));
        }
        stack.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
        reached();
        super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
        if (constructed != null) {
            // The constructor returned: the DUP's copy below the receiver is now the initialized object, on top.
            hook(constructed.line, AllocatedTypes.binaryName(constructed.type));
            return;
        }
        String allocated = AllocatedTypes.ofCall(opcode, owner, name, descriptor, hookArraysCopyCalls);
        if (allocated != null) {
            hook(line, allocated);
        }
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... arguments) {
        abandonNew();
        stack.visitInvokeDynamicInsn(name, descriptor, bootstrap, arguments);
        reached();
        super.visitInvokeDynamicInsn(name, descriptor, bootstrap, arguments);
    }

    @Override
    public void visitJumpInsn(int opcode, Label target) {
        abandonNew();
        stack.visitJumpInsn(opcode, target);
        reached();
        super.visitJumpInsn(opcode, target);
    }

    @Override
    public void visitLdcInsn(Object value) {
        abandonNew();
        stack.visitLdcInsn(value);
        reached();
        super.visitLdcInsn(value);
    }

    @Override
    public void visitIincInsn(int var, int increment) {
        abandonNew();
        stack.visitIincInsn(var, increment);
        reached();
        super.visitIincInsn(var, increment);
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label defaultTarget, Label... targets) {
        abandonNew();
        stack.visitTableSwitchInsn(min, max, defaultTarget, targets);
        reached();
        super.visitTableSwitchInsn(min, max, defaultTarget, targets);
    }

    @Override
    public void visitLookupSwitchInsn(Label defaultTarget, int[] keys, Label[] targets) {
        abandonNew();
        stack.visitLookupSwitchInsn(defaultTarget, keys, targets);
        reached();
        super.visitLookupSwitchInsn(defaultTarget, keys, targets);
    }

    @Override
    public void visitMultiANewArrayInsn(String descriptor, int dimensions) {
        abandonNew();
        stack.visitMultiANewArrayInsn(descriptor, dimensions);
        reached();
        super.visitMultiANewArrayInsn(descriptor, dimensions);
        hook(line, Type.getType(descriptor).getClassName());
    }

    // ---------------------------------------------------------------------------------------------------------

    /**
     * The pending {@code new} whose receiver copy sits where this constructor call's receiver is, or null (the
     * constructor's own super()/this() call, or a pattern we do not trust). Pending entries above the match were
     * never constructed in this linear order and are dropped.
     */
    private Pending matchConstructed(String owner, int argumentSlots) {
        int depth = stack.depth();
        if (depth == UNKNOWN) {
            return null;
        }
        int receiverTop = depth - argumentSlots; // depth with the receiver on top, arguments popped
        for (int i = pending.size() - 1; i >= 0; i--) {
            Pending p = pending.get(i);
            if (p.depthAfterDup == receiverTop) {
                dropPending(i + 1);
                pending.remove(i);
                if (p.tainted || stack.contradicted() || !p.type.equals(owner)) {
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

    /** After the model took an instruction: pending copies it reached down to are no longer trusted. */
    private void reached() {
        if (pending.isEmpty()) {
            return;
        }
        int lowWater = stack.lowWater();
        for (int i = pending.size() - 1; i >= 0; i--) {
            Pending p = pending.get(i);
            if (lowWater != UNKNOWN && p.depthAfterDup <= lowWater) {
                break;
            }
            p.tainted = true;
        }
    }

    /** The NEW's two copies are in place, ending at {@code depthAfterDup}: wait for its constructor call. */
    private void track(int depthAfterDup) {
        if (newDepth != UNKNOWN && !stack.contradicted() && pending.size() < MAX_PENDING) {
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
}
