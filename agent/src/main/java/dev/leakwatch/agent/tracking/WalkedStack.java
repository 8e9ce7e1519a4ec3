package dev.leakwatch.agent.tracking;

import java.lang.StackWalker.StackFrame;

/** A stack walked by {@link StackCapture} on the allocating thread. Holds the frames for one record only. */
final class WalkedStack implements SampledStack {
    private final StackFrame[] frames;

    WalkedStack(StackFrame[] frames) {
        this.frames = frames;
    }

    @Override
    public int depth() {
        return frames.length;
    }

    @Override
    public String className(int frame) {
        return frames[frame].getClassName();
    }

    @Override
    public String methodName(int frame) {
        return frames[frame].getMethodName();
    }

    @Override
    public int bytecodeIndex(int frame) {
        return frames[frame].getByteCodeIndex();
    }

    @Override
    public String describe(int frame) {
        return FrameFormatter.describe(frames[frame].toStackTraceElement());
    }
}
