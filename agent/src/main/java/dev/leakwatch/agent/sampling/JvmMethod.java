package dev.leakwatch.agent.sampling;

import dev.leakwatch.agent.tracking.FrameFormatter;

/**
 * A method as the JVM's stack walk names it, resolved once.
 *
 * @param lineTable pairs {first bytecode index, line}, in any order; null when the method has none
 * @param hidden    a frame {@link StackWalker} would not show ({@link HiddenFrames}), dropped from stacks
 */
record JvmMethod(String className, String methodName, String sourceFile, int[] lineTable, boolean hidden) {
    /** A method ID that no longer resolves (its class was unloaded): dropped from stacks like a hidden frame. */
    static final JvmMethod UNRESOLVED = new JvmMethod("<unloaded>", "<unknown>", null, null, true);

    /** The source line of a bytecode index: the entry starting last at or before it; -1 when unknown. */
    int lineAt(int bytecodeIndex) {
        if (lineTable == null || bytecodeIndex < 0) {
            return -1;
        }
        int bestStart = -1;
        int line = -1;
        for (int i = 0; i + 1 < lineTable.length; i += 2) {
            int start = lineTable[i];
            if (start <= bytecodeIndex && start > bestStart) {
                bestStart = start;
                line = lineTable[i + 1];
            }
        }
        return line;
    }

    /** The frame's text, as {@link FrameFormatter} writes a walked frame (-2 is how a native method's line reads). */
    String describe(int bytecodeIndex) {
        int line = bytecodeIndex < 0 ? -2 : lineAt(bytecodeIndex);
        return FrameFormatter.describe(new StackTraceElement(className, methodName, sourceFile, line));
    }
}
