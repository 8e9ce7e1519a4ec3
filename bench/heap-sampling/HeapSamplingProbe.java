import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * The Java half of probe.c: per sample, about the work leakwatch's tracker does (a stack walk of 24 frames, their
 * names, a weak reference kept in a bounded table). On the bootstrap class path; not part of leakwatch.
 */
public final class HeapSamplingProbe {
    private static final StackWalker WALKER = StackWalker.getInstance();
    private static final int DEPTH = 24;
    private static final WeakReference<?>[] TABLE = new WeakReference<?>[1 << 16];
    private static final ThreadLocal<boolean[]> INSIDE = new ThreadLocal<>() {
        @Override
        protected boolean[] initialValue() {
            return new boolean[1];
        }
    };
    private static int next;
    private static long samples;

    static {
        if (Boolean.getBoolean("heapsampling.probe.verbose")) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.err.println("[probe] " + samples + " samples")));
        }
    }

    private HeapSamplingProbe() {
    }

    public static void sampled(Object object, long size) {
        boolean[] inside = INSIDE.get();
        if (inside[0]) {
            return;
        }
        inside[0] = true;
        try {
            List<String> frames = WALKER.walk(stream -> {
                List<String> names = new ArrayList<>(DEPTH);
                stream.limit(DEPTH).forEach(frame -> names.add(frame.getClassName() + "." + frame.getMethodName()
                        + ":" + frame.getLineNumber()));
                return names;
            });
            synchronized (TABLE) {
                TABLE[next++ & (TABLE.length - 1)] = new WeakReference<>(object);
                samples += frames.isEmpty() ? 0 : 1;
            }
        } finally {
            inside[0] = false;
        }
    }
}
