package dev.leakwatch.agent.instrument;

import java.util.IdentityHashMap;
import java.util.Map;
import net.bytebuddy.jar.asm.ConstantDynamic;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * The depth of one method's operand stack, in slots, before each of its instructions: a {@link MethodVisitor} that
 * only listens, fed the method's calls in the order a {@code ClassReader} makes them. A {@code long} or
 * {@code double} takes two slots, everything else one (JVMS 2.6.2); types are not followed, only how many slots each
 * instruction pops and pushes (JVMS chapter 6).
 *
 * <p>The depth is {@link #UNKNOWN} where what came before cannot tell it: after {@code goto}, a return,
 * {@code athrow}, {@code ret} or a switch, until a label that an earlier jump or an exception handler was recorded
 * for, or a stack map frame, says what it is. Nothing is computed ahead: code that only later jumps reach stays
 * unknown unless a frame gives its depth, as class files from version 51 (Java 7) on must at every jump target
 * (JVMS 4.10.1).
 *
 * <p>Where two sources disagree (a frame or a recorded jump against the followed depth, two jumps to one label with
 * different depths, an instruction that would leave a negative depth) the model is
 * {@linkplain #contradicted() contradicted} for the rest of the method: a depth it reports may then be wrong, and a
 * caller must not rest a decision on it. It goes on (with the frame's or the label's depth, else unknown) rather
 * than throwing; it throws only for a zero-operand opcode that no class file can hold
 * ({@link IllegalArgumentException}).
 */
final class OperandStack extends MethodVisitor {
    /** A depth that the instructions seen so far cannot tell. */
    static final int UNKNOWN = -1;

    /** Depth in slots before the next instruction, or {@link #UNKNOWN}; a method starts with an empty stack. */
    private int depth;

    private int lowWater = UNKNOWN;
    /** Depths recorded for labels reached by jumps and exception handlers, filled lazily. */
    private Map<Label, Integer> labelDepths;
    /** The label at the current bytecode offset, until the next instruction. */
    private Label labelHere;

    private boolean contradicted;

    OperandStack() {
        super(OpenedClassReader.ASM_API);
    }

    /** Slots on the operand stack before the next instruction, or {@link #UNKNOWN}. */
    int depth() {
        return depth;
    }

    /**
     * The depth the last instruction popped the stack down to before pushing its results: it left the slots below
     * untouched. {@link #UNKNOWN} when the depth before it was unknown or it popped more than there was.
     */
    int lowWater() {
        return lowWater;
    }

    /**
     * The label at the offset of the next instruction, or null: a frame names the uninitialized object of a
     * {@code new} at this offset by it (JVMS 4.10.1.2, {@code uninitialized(Offset)}).
     */
    Label labelHere() {
        return labelHere;
    }

    /** Whether the model disagreed with the bytecode before: every depth since then is in doubt. */
    boolean contradicted() {
        return contradicted;
    }

    /** Parameter slots of a method descriptor, without the receiver. */
    static int argumentSlots(String methodDescriptor) {
        return (Type.getArgumentsAndReturnSizes(methodDescriptor) >> 2) - 1;
    }

    /** The frame's stack entry that starts at slot {@code slot}, or null (past its end, or the second slot of one). */
    static Object frameEntryAt(Object[] stack, int numStack, int slot) {
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

    // ---------------------------------------------------------------------------------------------------------
    // Non-instructions: handlers, labels, frames.

    @Override
    public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
        // A handler starts with the thrown exception alone on the stack.
        record(handler, 1);
    }

    @Override
    public void visitLabel(Label label) {
        labelHere = label;
        Integer recorded = labelDepths == null ? null : labelDepths.get(label);
        if (recorded != null) {
            if (depth != UNKNOWN && depth != recorded) {
                contradicted = true;
            }
            depth = recorded;
        }
    }

    @Override
    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
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
            default: // F_SAME, F_APPEND, F_CHOP: an empty stack
                frameDepth = 0;
        }
        if (depth != UNKNOWN && depth != frameDepth) {
            contradicted = true;
        }
        depth = frameDepth;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Instructions.

    @Override
    public void visitInsn(int opcode) {
        int pops = ZeroOperandInstructions.pops(opcode);
        int pushes = ZeroOperandInstructions.pushes(opcode);
        if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN || opcode == Opcodes.ATHROW) {
            reach(pops);
            unreachable();
        } else {
            execute(pops, pushes);
        }
    }

    @Override
    public void visitIntInsn(int opcode, int operand) {
        execute(opcode == Opcodes.NEWARRAY ? 1 : 0, 1); // NEWARRAY takes a length; BIPUSH, SIPUSH take nothing
    }

    @Override
    public void visitVarInsn(int opcode, int var) {
        switch (opcode) {
            case Opcodes.ILOAD:
            case Opcodes.FLOAD:
            case Opcodes.ALOAD:
                execute(0, 1);
                break;
            case Opcodes.LLOAD:
            case Opcodes.DLOAD:
                execute(0, 2);
                break;
            case Opcodes.ISTORE:
            case Opcodes.FSTORE:
            case Opcodes.ASTORE:
                execute(1, 0);
                break;
            case Opcodes.LSTORE:
            case Opcodes.DSTORE:
                execute(2, 0);
                break;
            default: // RET: back to wherever the subroutine was called from
                reach(0);
                unreachable();
        }
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
        execute(opcode == Opcodes.NEW ? 0 : 1, 1); // ANEWARRAY, CHECKCAST, INSTANCEOF replace their operand
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
        int size = Type.getType(descriptor).getSize();
        switch (opcode) {
            case Opcodes.GETSTATIC:
                execute(0, size);
                break;
            case Opcodes.PUTSTATIC:
                execute(size, 0);
                break;
            case Opcodes.GETFIELD:
                execute(1, size);
                break;
            default: // PUTFIELD
                execute(1 + size, 0);
        }
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
        int argumentsAndReturn = Type.getArgumentsAndReturnSizes(descriptor);
        int receiver = opcode == Opcodes.INVOKESTATIC ? 0 : 1;
        execute((argumentsAndReturn >> 2) - 1 + receiver, argumentsAndReturn & 0x3);
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... arguments) {
        int argumentsAndReturn = Type.getArgumentsAndReturnSizes(descriptor);
        execute((argumentsAndReturn >> 2) - 1, argumentsAndReturn & 0x3);
    }

    @Override
    public void visitJumpInsn(int opcode, Label target) {
        switch (opcode) {
            case Opcodes.GOTO:
                reach(0);
                record(target, depth);
                unreachable();
                break;
            case Opcodes.JSR:
                reach(0);
                // The subroutine starts with the return address pushed; execution resumes here without it.
                record(target, depth == UNKNOWN ? UNKNOWN : depth + 1);
                labelHere = null;
                break;
            case Opcodes.IF_ICMPEQ:
            case Opcodes.IF_ICMPNE:
            case Opcodes.IF_ICMPLT:
            case Opcodes.IF_ICMPGE:
            case Opcodes.IF_ICMPGT:
            case Opcodes.IF_ICMPLE:
            case Opcodes.IF_ACMPEQ:
            case Opcodes.IF_ACMPNE:
                execute(2, 0);
                record(target, depth);
                break;
            default: // IFEQ .. IFLE, IFNULL, IFNONNULL
                execute(1, 0);
                record(target, depth);
        }
    }

    @Override
    public void visitLdcInsn(Object value) {
        boolean wide = value instanceof Long
                || value instanceof Double
                || value instanceof ConstantDynamic && ((ConstantDynamic) value).getSize() == 2;
        execute(0, wide ? 2 : 1);
    }

    @Override
    public void visitIincInsn(int var, int increment) {
        execute(0, 0);
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label defaultTarget, Label... targets) {
        switched(defaultTarget, targets);
    }

    @Override
    public void visitLookupSwitchInsn(Label defaultTarget, int[] keys, Label[] targets) {
        switched(defaultTarget, targets);
    }

    @Override
    public void visitMultiANewArrayInsn(String descriptor, int dimensions) {
        execute(dimensions, 1);
    }

    /** An instruction that goes on to the next one. */
    private void execute(int pops, int pushes) {
        if (depth == UNKNOWN) {
            lowWater = UNKNOWN;
        } else {
            lowWater = depth < pops ? UNKNOWN : depth - pops;
            depth = depth - pops + pushes;
            if (depth < 0) {
                contradicted = true;
                depth = UNKNOWN;
            }
        }
        labelHere = null;
    }

    private void reach(int pops) {
        lowWater = depth == UNKNOWN || depth < pops ? UNKNOWN : depth - pops;
    }

    /** After an instruction that does not go on to the next one: only a label or a frame can tell the depth. */
    private void unreachable() {
        depth = UNKNOWN;
        labelHere = null;
    }

    /** A switch pops its key and goes to one of its targets, never to the next instruction. */
    private void switched(Label defaultTarget, Label[] targets) {
        reach(1);
        int after = depth == UNKNOWN || depth < 1 ? UNKNOWN : depth - 1;
        record(defaultTarget, after);
        for (Label target : targets) {
            record(target, after);
        }
        unreachable();
    }

    private void record(Label label, int labelDepth) {
        if (labelDepth == UNKNOWN) {
            return;
        }
        if (labelDepths == null) {
            labelDepths = new IdentityHashMap<>();
        }
        Integer previous = labelDepths.putIfAbsent(label, labelDepth);
        if (previous != null && previous != labelDepth) {
            contradicted = true;
        }
    }

    private static int frameSlots(Object frameType) {
        return Opcodes.LONG.equals(frameType) || Opcodes.DOUBLE.equals(frameType) ? 2 : 1;
    }
}
