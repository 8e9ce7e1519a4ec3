package dev.leakwatch.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ConstantDynamic;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.utility.OpenedClassReader;
import org.junit.jupiter.api.Test;

/**
 * The operand stack model on its own: slots pushed and popped by each kind of instruction (two for {@code long} and
 * {@code double}), how far down an instruction reached, what is unknown after code that does not fall through and
 * how labels, handlers and frames bring the depth back, when the model calls itself contradicted, and the one input
 * it rejects. Last, that javac's output never contradicts it.
 */
class OperandStackTest {
    private static final int UNKNOWN = OperandStack.UNKNOWN;
    private static final Handle BOOTSTRAP = new Handle(
            Opcodes.H_INVOKESTATIC,
            "gen/Boot",
            "bootstrap",
            "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;)"
                    + "Ljava/lang/invoke/CallSite;",
            false);

    @Test
    void aMethodStartsWithAnEmptyStackAndNothingUnsure() {
        OperandStack stack = new OperandStack();
        assertEquals(0, stack.depth());
        assertFalse(stack.contradicted());
        assertNull(stack.labelHere());
    }

    @Test
    void longAndDoubleTakeTwoSlotsEverythingElseOne() {
        assertDepths(List.of(
                step(s -> s.visitInsn(Opcodes.ICONST_1), 1, 0),
                step(s -> s.visitInsn(Opcodes.LCONST_0), 3, 1),
                step(s -> s.visitInsn(Opcodes.DCONST_1), 5, 3),
                step(s -> s.visitInsn(Opcodes.ACONST_NULL), 6, 5),
                step(s -> s.visitInsn(Opcodes.POP), 5, 5),
                step(s -> s.visitInsn(Opcodes.D2F), 4, 3), // a double becomes a float
                step(s -> s.visitInsn(Opcodes.F2L), 5, 3), // and a long
                step(s -> s.visitInsn(Opcodes.LADD), 3, 1), // long + long: two slots each
                step(s -> s.visitInsn(Opcodes.L2I), 2, 1),
                step(s -> s.visitInsn(Opcodes.IADD), 1, 0)));
    }

    @Test
    void stackShufflesCountSlotsNotValues() {
        assertDepths(List.of(
                step(s -> s.visitVarInsn(Opcodes.LLOAD, 0), 2, 0),
                step(s -> s.visitInsn(Opcodes.DUP2), 4, 0), // one long duplicated
                step(s -> s.visitVarInsn(Opcodes.ALOAD, 2), 5, 4),
                step(s -> s.visitInsn(Opcodes.DUP_X1), 6, 3), // reaches two slots down, leaves three
                step(s -> s.visitInsn(Opcodes.DUP2_X2), 8, 2),
                step(s -> s.visitInsn(Opcodes.DUP_X2), 9, 5),
                step(s -> s.visitInsn(Opcodes.DUP2_X1), 11, 6),
                step(s -> s.visitInsn(Opcodes.SWAP), 11, 9),
                step(s -> s.visitInsn(Opcodes.POP2), 9, 9)));
    }

    @Test
    void loadsStoresFieldsAndArrays() {
        assertDepths(List.of(
                step(s -> s.visitVarInsn(Opcodes.DLOAD, 1), 2, 0),
                step(s -> s.visitVarInsn(Opcodes.DSTORE, 3), 0, 0),
                step(s -> s.visitVarInsn(Opcodes.ALOAD, 0), 1, 0),
                step(s -> s.visitFieldInsn(Opcodes.GETFIELD, "gen/A", "j", "J"), 2, 0), // object ref -> long
                step(s -> s.visitFieldInsn(Opcodes.PUTSTATIC, "gen/A", "s", "J"), 0, 0),
                step(s -> s.visitFieldInsn(Opcodes.GETSTATIC, "gen/A", "d", "D"), 2, 0),
                step(s -> s.visitVarInsn(Opcodes.ALOAD, 0), 3, 2),
                step(s -> s.visitInsn(Opcodes.DUP_X2), 4, 0),
                step(s -> s.visitInsn(Opcodes.POP), 3, 3),
                step(s -> s.visitFieldInsn(Opcodes.PUTFIELD, "gen/A", "d", "D"), 0, 0), // ref + double
                step(s -> s.visitIntInsn(Opcodes.BIPUSH, 3), 1, 0),
                step(s -> s.visitIntInsn(Opcodes.NEWARRAY, Opcodes.T_LONG), 1, 0), // length -> array
                step(s -> s.visitInsn(Opcodes.ICONST_0), 2, 1),
                step(s -> s.visitInsn(Opcodes.LALOAD), 2, 0), // array, index -> long
                step(s -> s.visitIincInsn(1, 1), 2, 2),
                step(s -> s.visitLdcInsn(7L), 4, 2),
                step(s -> s.visitLdcInsn(new ConstantDynamic("c", "D", BOOTSTRAP)), 6, 4),
                step(s -> s.visitLdcInsn("text"), 7, 6),
                step(s -> s.visitTypeInsn(Opcodes.CHECKCAST, "java/lang/String"), 7, 6),
                step(s -> s.visitTypeInsn(Opcodes.NEW, "gen/A"), 8, 7),
                step(s -> s.visitInsn(Opcodes.ICONST_1), 9, 8),
                step(s -> s.visitInsn(Opcodes.ICONST_2), 10, 9),
                step(s -> s.visitMultiANewArrayInsn("[[I", 2), 9, 8),
                step(s -> s.visitTypeInsn(Opcodes.ANEWARRAY, "java/lang/Object"), 9, 8)));
    }

    @Test
    void callsPopTheirArgumentsAndReceiverAndPushTheirResult() {
        assertDepths(List.of(
                step(s -> s.visitVarInsn(Opcodes.ALOAD, 0), 1, 0),
                step(s -> s.visitVarInsn(Opcodes.LLOAD, 1), 3, 1),
                step(s -> s.visitVarInsn(Opcodes.ILOAD, 3), 4, 3),
                step(s -> s.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "gen/A", "m", "(JI)D", false), 2, 0),
                step(s -> s.visitMethodInsn(Opcodes.INVOKESTATIC, "gen/A", "s", "(D)V", false), 0, 0),
                step(s -> s.visitMethodInsn(Opcodes.INVOKESTATIC, "gen/A", "s", "()J", false), 2, 0),
                step(s -> s.visitVarInsn(Opcodes.ALOAD, 0), 3, 2),
                step(s -> s.visitMethodInsn(Opcodes.INVOKEINTERFACE, "gen/I", "i", "()Ljava/lang/Object;", true), 3, 2),
                step(s -> s.visitVarInsn(Opcodes.ALOAD, 0), 4, 3),
                step(
                        s -> s.visitMethodInsn(
                                Opcodes.INVOKESPECIAL, "gen/A", "<init>", "(Ljava/lang/Object;)V", false),
                        2,
                        2),
                step(s -> s.visitVarInsn(Opcodes.ILOAD, 3), 3, 2),
                step(s -> s.visitVarInsn(Opcodes.DLOAD, 4), 5, 3),
                step(s -> s.visitInvokeDynamicInsn("make", "(ID)Ljava/lang/Object;", BOOTSTRAP), 3, 2), // no receiver
                step(s -> s.visitInvokeDynamicInsn("run", "()V", BOOTSTRAP), 3, 3)));
        assertEquals(3, OperandStack.argumentSlots("(JI)D"));
        assertEquals(0, OperandStack.argumentSlots("()Ljava/lang/Object;"));
    }

    @Test
    void aConditionalJumpFallsThroughAndTellsItsTargetTheDepth() {
        OperandStack stack = new OperandStack();
        Label target = new Label();
        stack.visitVarInsn(Opcodes.ALOAD, 0);
        stack.visitVarInsn(Opcodes.ILOAD, 1);
        stack.visitVarInsn(Opcodes.ILOAD, 2);
        stack.visitJumpInsn(Opcodes.IF_ICMPGE, target);
        assertEquals(1, stack.depth());
        assertEquals(1, stack.lowWater());
        stack.visitInsn(Opcodes.ARETURN);
        assertEquals(UNKNOWN, stack.depth());

        stack.visitLabel(target);
        assertEquals(1, stack.depth(), "the depth the jump recorded");
        assertFalse(stack.contradicted());
    }

    @Test
    void afterCodeThatDoesNotFallThroughTheDepthIsUnknownUntilALabelOrAFrameTellsIt() {
        for (Consumer<OperandStack> end : List.<Consumer<OperandStack>>of(
                s -> s.visitInsn(Opcodes.RETURN),
                s -> s.visitInsn(Opcodes.ATHROW),
                s -> s.visitJumpInsn(Opcodes.GOTO, new Label()),
                s -> s.visitVarInsn(Opcodes.RET, 1),
                s -> s.visitTableSwitchInsn(0, 1, new Label(), new Label(), new Label()),
                s -> s.visitLookupSwitchInsn(new Label(), new int[] {5}, new Label[] {new Label()}))) {
            OperandStack stack = new OperandStack();
            stack.visitVarInsn(Opcodes.ALOAD, 0);
            stack.visitVarInsn(Opcodes.ILOAD, 1);
            end.accept(stack);
            assertEquals(UNKNOWN, stack.depth());
            // Unknown stays unknown, and so does how far down an instruction reached; nothing is contradicted.
            stack.visitInsn(Opcodes.ICONST_0);
            stack.visitInsn(Opcodes.POP2);
            assertEquals(UNKNOWN, stack.depth());
            assertEquals(UNKNOWN, stack.lowWater());
            stack.visitLabel(new Label()); // no jump to it was seen
            assertEquals(UNKNOWN, stack.depth());
            stack.visitFrame(Opcodes.F_SAME1, 0, null, 1, new Object[] {Opcodes.LONG});
            assertEquals(2, stack.depth());
            assertFalse(stack.contradicted());
        }
    }

    @Test
    void switchTargetsHandlersAndSubroutinesGetTheirDepths() {
        OperandStack stack = new OperandStack();
        Label handler = new Label();
        Label one = new Label();
        Label other = new Label();
        Label subroutine = new Label();
        stack.visitTryCatchBlock(new Label(), new Label(), handler, "java/lang/Exception");
        stack.visitVarInsn(Opcodes.ALOAD, 0);
        stack.visitJumpInsn(Opcodes.JSR, subroutine);
        assertEquals(1, stack.depth(), "execution resumes after the subroutine without its return address");
        stack.visitVarInsn(Opcodes.ILOAD, 1);
        stack.visitLookupSwitchInsn(other, new int[] {1}, new Label[] {one});
        assertEquals(1, stack.lowWater(), "it popped its key");

        stack.visitLabel(one);
        assertEquals(1, stack.depth());
        stack.visitInsn(Opcodes.ARETURN);
        stack.visitLabel(other);
        assertEquals(1, stack.depth());
        stack.visitInsn(Opcodes.ARETURN);
        stack.visitLabel(subroutine);
        assertEquals(2, stack.depth(), "the return address on top");
        stack.visitVarInsn(Opcodes.ASTORE, 2);
        stack.visitVarInsn(Opcodes.RET, 2);
        stack.visitLabel(handler);
        assertEquals(1, stack.depth(), "the exception alone");
        assertFalse(stack.contradicted());
    }

    @Test
    void framesSetTheDepthInSlots() {
        Label uninitialized = new Label();
        Object[][] cases = {
            {Opcodes.F_NEW, new Object[] {Opcodes.INTEGER, Opcodes.LONG, "java/lang/String"}, 4},
            {Opcodes.F_FULL, new Object[] {Opcodes.DOUBLE, uninitialized, uninitialized}, 4},
            {Opcodes.F_FULL, new Object[] {}, 0},
            {Opcodes.F_SAME1, new Object[] {Opcodes.TOP}, 1},
            {Opcodes.F_SAME, null, 0},
            {Opcodes.F_APPEND, null, 0},
            {Opcodes.F_CHOP, null, 0},
        };
        for (Object[] c : cases) {
            OperandStack stack = new OperandStack();
            stack.visitInsn(Opcodes.RETURN);
            Object[] entries = (Object[]) c[1];
            stack.visitFrame((int) c[0], 0, new Object[0], entries == null ? 0 : entries.length, entries);
            assertEquals(c[2], stack.depth(), () -> "frame type " + c[0]);
        }
    }

    @Test
    void aFrameEntryIsFoundByTheSlotItStartsAt() {
        Label newAt = new Label();
        Object[] entries = {Opcodes.INTEGER, Opcodes.LONG, newAt, newAt};
        assertSame(Opcodes.INTEGER, OperandStack.frameEntryAt(entries, 4, 0));
        assertSame(Opcodes.LONG, OperandStack.frameEntryAt(entries, 4, 1));
        assertNull(OperandStack.frameEntryAt(entries, 4, 2), "the second slot of the long");
        assertSame(newAt, OperandStack.frameEntryAt(entries, 4, 3));
        assertSame(newAt, OperandStack.frameEntryAt(entries, 4, 4));
        assertNull(OperandStack.frameEntryAt(entries, 4, 5), "past the end");
        assertNull(OperandStack.frameEntryAt(entries, 2, 3), "past numStack");
    }

    @Test
    void theLabelHereLastsUntilTheNextInstruction() {
        OperandStack stack = new OperandStack();
        Label here = new Label();
        stack.visitLabel(here);
        stack.visitLineNumber(12, here);
        stack.visitFrame(Opcodes.F_SAME, 0, null, 0, null);
        assertSame(here, stack.labelHere());
        stack.visitTypeInsn(Opcodes.NEW, "gen/A");
        assertNull(stack.labelHere());

        for (Consumer<OperandStack> instruction : List.<Consumer<OperandStack>>of(
                s -> s.visitJumpInsn(Opcodes.JSR, new Label()),
                s -> s.visitJumpInsn(Opcodes.GOTO, new Label()),
                s -> s.visitVarInsn(Opcodes.RET, 1),
                s -> s.visitInsn(Opcodes.RETURN),
                s -> s.visitTableSwitchInsn(0, 0, new Label(), new Label()))) {
            stack.visitLabel(here);
            instruction.accept(stack);
            assertNull(stack.labelHere());
        }
    }

    @Test
    void aFrameThatDisagreesContradictsTheModelAndIsBelieved() {
        OperandStack stack = new OperandStack();
        stack.visitVarInsn(Opcodes.ILOAD, 0);
        stack.visitFrame(Opcodes.F_SAME, 0, null, 0, null);
        assertTrue(stack.contradicted());
        assertEquals(0, stack.depth());
        stack.visitInsn(Opcodes.ICONST_0);
        stack.visitFrame(Opcodes.F_SAME1, 0, null, 1, new Object[] {Opcodes.INTEGER});
        assertTrue(stack.contradicted(), "for the rest of the method");
    }

    @Test
    void aLabelWhoseJumpRecordedAnotherDepthContradictsTheModel() {
        OperandStack stack = new OperandStack();
        Label target = new Label();
        stack.visitVarInsn(Opcodes.ILOAD, 0);
        stack.visitJumpInsn(Opcodes.IFEQ, target);
        stack.visitInsn(Opcodes.ICONST_0);
        stack.visitLabel(target); // reached with 0 by the jump, with 1 by falling through
        assertTrue(stack.contradicted());
        assertEquals(0, stack.depth(), "the jump's depth");
    }

    @Test
    void twoJumpsThatDisagreeAboutATargetContradictTheModel() {
        OperandStack agreeing = new OperandStack();
        Label target = new Label();
        agreeing.visitInsn(Opcodes.ICONST_0);
        agreeing.visitJumpInsn(Opcodes.IFEQ, target);
        agreeing.visitInsn(Opcodes.ACONST_NULL);
        agreeing.visitJumpInsn(Opcodes.IFNULL, target);
        assertFalse(agreeing.contradicted());

        OperandStack disagreeing = new OperandStack();
        Label other = new Label();
        disagreeing.visitInsn(Opcodes.ICONST_0);
        disagreeing.visitJumpInsn(Opcodes.IFEQ, other); // 0 left
        disagreeing.visitInsn(Opcodes.ACONST_NULL);
        disagreeing.visitInsn(Opcodes.ACONST_NULL);
        disagreeing.visitJumpInsn(Opcodes.IFNULL, other); // 1 left
        assertTrue(disagreeing.contradicted());
    }

    @Test
    void poppingMoreThanThereIsContradictsTheModelAndLeavesTheDepthUnknown() {
        OperandStack stack = new OperandStack();
        stack.visitInsn(Opcodes.ICONST_0);
        stack.visitInsn(Opcodes.POP2);
        assertTrue(stack.contradicted());
        assertEquals(UNKNOWN, stack.depth());
        assertEquals(UNKNOWN, stack.lowWater(), "it may have reached any slot");
    }

    @Test
    void anOpcodeNoClassFileHoldsIsRejectedBeforeAnythingChanges() {
        OperandStack stack = new OperandStack();
        stack.visitInsn(Opcodes.ICONST_0);
        assertThrows(IllegalArgumentException.class, () -> stack.visitInsn(0xca)); // breakpoint: reserved (JVMS 6.2)
        assertThrows(IllegalArgumentException.class, () -> stack.visitInsn(Opcodes.BIPUSH)); // has an operand
        assertEquals(1, stack.depth());
        assertEquals(0, stack.lowWater());
        assertFalse(stack.contradicted());
    }

    /**
     * Every method of {@code java.util} and its subpackages in the running JDK, as javac wrote it: the depth followed
     * from the instructions agrees with every stack map frame and every jump, so the model is never contradicted.
     */
    @Test
    void javacOutputNeverContradictsTheModel() throws IOException {
        List<String> contradicted = new ArrayList<>();
        int[] methods = {0};
        Path root = FileSystems.getFileSystem(URI.create("jrt:/")).getPath("/modules/java.base/java/util");
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                ClassReader reader = OpenedClassReader.of(Files.readAllBytes(file));
                reader.accept(
                        new ClassVisitor(OpenedClassReader.ASM_API) {
                            @Override
                            public MethodVisitor visitMethod(
                                    int access, String name, String descriptor, String signature, String[] exceptions) {
                                methods[0]++;
                                OperandStack stack = new OperandStack();
                                return new MethodVisitor(OpenedClassReader.ASM_API, stack) {
                                    @Override
                                    public void visitEnd() {
                                        if (stack.contradicted()) {
                                            contradicted.add(reader.getClassName() + "." + name + descriptor);
                                        }
                                    }
                                };
                            }
                        },
                        0);
            }
        }
        assertTrue(methods[0] > 10_000, () -> methods[0] + " methods");
        assertEquals(List.of(), contradicted);
    }

    private record Step(Consumer<OperandStack> instruction, int depth, int lowWater) {}

    private static Step step(Consumer<OperandStack> instruction, int depth, int lowWater) {
        return new Step(instruction, depth, lowWater);
    }

    /** Runs the steps in order on one model: after each, its depth and how far down it reached. */
    private static void assertDepths(List<Step> steps) {
        OperandStack stack = new OperandStack();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            step.instruction.accept(stack);
            int index = i;
            assertEquals(step.depth, stack.depth(), () -> "depth after step " + index);
            assertEquals(step.lowWater, stack.lowWater(), () -> "low water of step " + index);
        }
        assertFalse(stack.contradicted());
    }
}
