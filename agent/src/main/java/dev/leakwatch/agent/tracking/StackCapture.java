package dev.leakwatch.agent.tracking;

import java.lang.StackWalker.StackFrame;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Walks the allocating thread's stack: the first {@code depth} frames below the hook, innermost first.
 *
 * <p>The walker is created with an estimated depth ({@code depth} plus room for the hook's frames) instead of plain
 * {@code StackWalker.getInstance()}: same options, but the frames come in one batch, which measured 20 to 30% faster
 * for a 24-frame stack on JDK 17. Class references are not retained: a recorded stack must not keep a class (and its
 * loader) alive.
 *
 * <p>The frames returned hold their declaring classes through the JDK's member names, so callers use them for the
 * duration of one record and keep only strings and numbers.
 */
final class StackCapture {
    /** The tracker's own frames on the way from {@code record} to the walk, always skipped. */
    private static final Set<String> OWN_CLASSES =
            Set.of(StackCapture.class.getName(), AllocationTracker.class.getName());

    private static final int OWN_AND_HOOK_FRAMES_ESTIMATE = 6;

    private final StackWalker walker;
    private final int depth;
    private final String[] hookFramePrefixes;
    private final Function<Stream<StackFrame>, StackFrame[]> collector = this::collect;

    StackCapture(int depth, List<String> hookFramePrefixes) {
        this.depth = depth;
        this.hookFramePrefixes = hookFramePrefixes.toArray(String[]::new);
        this.walker = StackWalker.getInstance(Set.of(), depth + OWN_AND_HOOK_FRAMES_ESTIMATE);
    }

    /** The caller's stack, without the tracker's and the hook's frames; possibly empty, never longer than depth. */
    SampledStack capture() {
        return new WalkedStack(walker.walk(collector));
    }

    private StackFrame[] collect(Stream<StackFrame> stream) {
        StackFrame[] frames = new StackFrame[depth];
        int count = 0;
        boolean belowHook = false;
        Iterator<StackFrame> walk = stream.iterator();
        while (count < depth && walk.hasNext()) {
            StackFrame frame = walk.next();
            if (belowHook || !isHookFrame(frame.getClassName())) {
                belowHook = true;
                frames[count++] = frame;
            }
        }
        return count == depth ? frames : Arrays.copyOf(frames, count);
    }

    private boolean isHookFrame(String className) {
        if (OWN_CLASSES.contains(className)) {
            return true;
        }
        for (String prefix : hookFramePrefixes) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
