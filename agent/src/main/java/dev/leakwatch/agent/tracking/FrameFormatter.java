package dev.leakwatch.agent.tracking;

import java.lang.StackWalker.StackFrame;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a stack frame into {@code com.acme.Cache.put(Cache.java:42)}, once per distinct frame: the line number costs a
 * {@link StackTraceElement}, and the outer frames of many paths are the same, so paths share these strings.
 *
 * <p>Bounded: past {@code capacity} distinct frames, a frame is formatted without being cached.
 */
final class FrameFormatter {
    private final ConcurrentHashMap<FrameKey, String> cache = new ConcurrentHashMap<>();
    private final int capacity;

    FrameFormatter(int capacity) {
        this.capacity = capacity;
    }

    String format(StackFrame frame) {
        // No descriptor in the key: StackFrame.getDescriptor needs RETAIN_CLASS_REFERENCE from Java 22 on (it threw
        // UnsupportedOperationException for every sample on Java 25). Overloads of one name sharing a bytecode index
        // could share a cached line; the cost of that rare mix-up is one wrong line number in a frame.
        FrameKey key = new FrameKey(frame.getClassName(), frame.getMethodName(), frame.getByteCodeIndex());
        String text = cache.get(key);
        if (text != null) {
            return text;
        }
        text = describe(frame.toStackTraceElement());
        if (cache.size() < capacity) {
            String raced = cache.putIfAbsent(key, text);
            return raced != null ? raced : text;
        }
        return text;
    }

    void clear() {
        cache.clear();
    }

    /** Like {@link StackTraceElement#toString()} without the class loader and module prefix. */
    static String describe(StackTraceElement element) {
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
