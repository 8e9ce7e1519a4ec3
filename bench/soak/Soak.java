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
 * The load of bench/soak.sh: six threads churn short-lived allocations through stacks 1 to 80 frames deep, through a
 * lambda or reflection, so that new allocation paths keep turning up; one thread loads a plugin class in a fresh class
 * loader about 200 times a second and lets it go, so that classes keep unloading (which invalidates the method IDs of
 * samples still queued); the main thread keeps a bounded map. Nothing leaks: any suspect is a false one.
 *
 * <p>Usage: {@code java -cp DIR Soak SECONDS PLUGIN_CLASS_DIR}
 */
public class Soak {
    static volatile boolean running = true;
    static final AtomicLong work = new AtomicLong();

    public static void main(String[] args) throws Exception {
        long seconds = Long.parseLong(args[0]);
        URL pluginDir = Path.of(args[1]).toUri().toURL();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            int id = t;
            threads.add(new Thread(() -> churn(id), "churn-" + t));
        }
        threads.add(new Thread(() -> {
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
            }
        }, "reloader"));
        threads.forEach(Thread::start);
        Map<Integer, byte[]> retained = new HashMap<>();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        int i = 0;
        while (System.nanoTime() < end) {
            retained.put(i++ % 20_000, new byte[512]); // bounded
            Thread.sleep(1);
        }
        running = false;
        for (Thread t : threads) {
            t.join();
        }
        System.out.println("soak ok: " + work.get() + " units, " + retained.size() + " retained");
    }

    static void churn(int id) {
        Method viaReflection;
        try {
            viaReflection = Soak.class.getDeclaredMethod("leaf", int.class);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
        List<Object> window = new ArrayList<>();
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
