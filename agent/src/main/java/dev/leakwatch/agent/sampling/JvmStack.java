package dev.leakwatch.agent.sampling;

import dev.leakwatch.agent.tracking.SampledStack;

/** A sample's stack as the JVM walked it in the heap sampler's callback, hidden frames dropped. */
final class JvmStack implements SampledStack {
    private final JvmMethod[] methods;
    private final int[] bytecodeIndexes;
    private final int depth;

    JvmStack(JvmMethod[] methods, int[] bytecodeIndexes, int depth) {
        this.methods = methods;
        this.bytecodeIndexes = bytecodeIndexes;
        this.depth = depth;
    }

    @Override
    public int depth() {
        return depth;
    }

    @Override
    public String className(int frame) {
        return methods[frame].className();
    }

    @Override
    public String methodName(int frame) {
        return methods[frame].methodName();
    }

    @Override
    public int bytecodeIndex(int frame) {
        return bytecodeIndexes[frame];
    }

    @Override
    public String describe(int frame) {
        return methods[frame].describe(bytecodeIndexes[frame]);
    }
}
