import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The load of bench/soak.sh: churn threads (six by default) make short-lived allocations through stacks 1 to 80 frames
 * deep, through a lambda or reflection, so that new allocation paths keep turning up; one thread loads a plugin class
 * in a fresh class loader again and again (about 200 times a second when it never pauses) and lets it go, so that
 * classes keep unloading (which invalidates the method IDs of samples still queued); the main thread keeps a bounded
 * map. Nothing leaks: any suspect is a false one.
 *
 * <p>Usage: {@code java -cp DIR Soak SECONDS PLUGIN_CLASS_DIR [CHURN_THREADS [PAUSE_MS]]}. With {@code PAUSE_MS} above
 * 0 every load thread sleeps that long after each burst ({@link #CHURN_BURST} units of churn, {@link #RELOAD_BURST}
 * plugin loads), so that a soak can be held to a share of a shared machine; 0 (the default) never pauses.
 */
public class Soak {
    static final int CHURN_BURST = 1_000;
    static final int RELOAD_BURST = 10;
    static volatile boolean running = true;
    static final AtomicLong work = new AtomicLong();

    public static void main(String[] args) throws Exception {
        Load load = Load.parse(args, "Soak");
        List<Thread> threads = load.start();
        Map<Integer, byte[]> retained = new HashMap<>();
        long end = System.nanoTime() + load.seconds() * 1_000_000_000L;
        int i = 0;
        while (System.nanoTime() < end) {
            retained.put(i++ % 20_000, new byte[512]); // bounded
            Thread.sleep(1);
        }
        stop(threads);
        System.out.println("soak ok: " + work.get() + " units, " + retained.size() + " retained");
    }

    /** What the load threads do, from the command line; shared with {@code LeakingSoak}. */
    record Load(long seconds, URL pluginDir, int churnThreads, long pauseMs) {
        static Load parse(String[] args, String program) throws Exception {
            if (args.length < 2 || args.length > 4) {
                throw new IllegalArgumentException("usage: " + program
                        + " SECONDS PLUGIN_CLASS_DIR [CHURN_THREADS [PAUSE_MS]]");
            }
            return new Load(Long.parseLong(args[0]), Path.of(args[1]).toUri().toURL(),
                    args.length > 2 ? Integer.parseInt(args[2]) : 6, args.length > 3 ? Long.parseLong(args[3]) : 0);
        }

        List<Thread> start() {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < churnThreads; t++) {
                int id = t;
                threads.add(new Thread(() -> churn(id, pauseMs), "churn-" + t));
            }
            threads.add(new Thread(() -> reload(pluginDir, pauseMs), "reloader"));
            threads.forEach(Thread::start);
            return threads;
        }
    }

    static void stop(List<Thread> threads) throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join();
        }
    }

    static void reload(URL pluginDir, long pauseMs) {
        long loaders = 0;
        while (running) {
            try (URLClassLoader loader = new URLClassLoader(new URL[] {pluginDir}, null)) {
                @SuppressWarnings("unchecked")
                Supplier<Object> plugin = (Supplier<Object>) loader.loadClass("Plugin").getDeclaredConstructor().newInstance();
                work.addAndGet(((List<?>) plugin.get()).size());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            if (++loaders % 200 == 0) {
                System.gc(); // unloads the old Plugin classes, invalidating their method IDs
            }
            if (loaders % RELOAD_BURST == 0) {
                pause(pauseMs);
            }
        }
    }

    static void churn(int id, long pauseMs) {
        Method viaReflection;
        try {
            viaReflection = Soak.class.getDeclaredMethod("leaf", int.class);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
        List<Object> window = new ArrayList<>();
        long units = 0;
        while (running) {
            int depth = ThreadLocalRandom.current().nextInt(1, 80);
            Object made;
            try {
                made = id % 2 == 0 ? deep(depth) : viaReflection.invoke(null, depth);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            window.add(made);
            if (window.size() > 5_000) {
                window.clear();
            }
            work.incrementAndGet();
            if (++units % CHURN_BURST == 0) {
                pause(pauseMs);
            }
        }
    }

    static void pause(long pauseMs) {
        if (pauseMs > 0) {
            try {
                Thread.sleep(pauseMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    static Object deep(int depth) {
        if (depth == 0) {
            Supplier<Object> s = () -> leaf(ThreadLocalRandom.current().nextInt(16));
            return s.get();
        }
        return deep(depth - 1);
    }

    static Object leaf(int n) {
        return switch (n % 4) {
            case 0 -> new byte[64 + n * 8];
            case 1 -> new Object[n + 1];
            case 2 -> new HashMap<>(Map.of("k" + n, n));
            default -> String.valueOf(n).repeat(n + 1);
        };
    }
}
