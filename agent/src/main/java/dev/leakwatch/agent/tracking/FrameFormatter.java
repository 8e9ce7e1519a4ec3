package dev.leakwatch.agent.tracking;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Turns a stack frame into {@code com.acme.Cache.put(Cache.java:42)}, once per distinct frame: the line number costs a
 * {@link StackTraceElement}, and the outer frames of many paths are the same, so paths share these strings.
 *
 * <p>The cache keeps the frames used recently, not every frame ever seen: {@link #age()} (at each snapshot) starts a
 * new generation, and a frame not used during the previous one is forgotten; the paths that use it keep their own
 * reference. A cache that only grew made the agent's own strings a slow, steady growth of {@code java.lang.String} in
 * the host's histograms, as new stacks kept turning up: a control sample was once flagged with it (38.6 KB/min).
 * With generations, the strings the agent holds follow the live paths and the recent samples, not the history.
 *
 * <p>Bounded: past {@code capacity} distinct frames in a generation, a frame is formatted without being cached.
 */
public final class FrameFormatter {
    private volatile ConcurrentHashMap<FrameKey, String> current = new ConcurrentHashMap<>();
    private volatile ConcurrentHashMap<FrameKey, String> previous = new ConcurrentHashMap<>();
    private final int capacity;

    FrameFormatter(int capacity) {
        this.capacity = capacity;
    }

    String format(SampledStack stack, int frame) {
        // No descriptor in the key: StackFrame.getDescriptor needs RETAIN_CLASS_REFERENCE from Java 22 on (it threw
        // UnsupportedOperationException for every sample on Java 25). Overloads of one name sharing a bytecode index
        // could share a cached line; the cost of that rare mix-up is one wrong line number in a frame.
        FrameKey key = new FrameKey(stack.className(frame), stack.methodName(frame), stack.bytecodeIndex(frame));
        ConcurrentHashMap<FrameKey, String> generation = current;
        String text = generation.get(key);
        if (text != null) {
            return text;
        }
        text = previous.get(key);
        if (text == null) {
            text = stack.describe(frame);
        }
        if (generation.size() < capacity) {
            String raced = generation.putIfAbsent(key, text);
            return raced != null ? raced : text;
        }
        return text;
    }

    /**
     * Starts a new generation: frames used since the last call stay cached for one more, the others are forgotten.
     * A format racing with this may cache into the generation being retired; that only costs a format later.
     */
    void age() {
        previous = current;
        current = new ConcurrentHashMap<>();
    }

    /** Frames cached now, in both generations. */
    int cachedFrames() {
        return current.size() + previous.size();
    }

    /** Calls {@code action} on every frame text cached now, in both generations. */
    void forEachCachedFrame(Consumer<String> action) {
        current.values().forEach(action);
        previous.values().forEach(action);
    }

    void clear() {
        current = new ConcurrentHashMap<>();
        previous = new ConcurrentHashMap<>();
    }

    /**
     * Like {@link StackTraceElement#toString()} without the class loader and module prefix: the one text of a frame,
     * whichever sampler took it.
     */
    public static String describe(StackTraceElement element) {
        String file = element.getFileName();
        int line = element.getLineNumber();
        String location;
        if (element.isNativeMethod()) {
            location = "Native Method";
        } else if (file == null) {
            location = "Unknown Source";
        } else if (line >= 0) {
            location = file + ":" + line;
        } else {
            location = file;
        }
        return element.getClassName() + "." + element.getMethodName() + "(" + location + ")";
    }

    private record FrameKey(String className, String methodName, int bytecodeIndex) {}
}
