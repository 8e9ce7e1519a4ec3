import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The load of {@code LEAK_KB_PER_MINUTE=N bench/soak.sh}: {@link Soak}'s churn and plugin reloading, plus a slow,
 * steady leak of an application class. Ten times a second one {@link Session} (an id, a user name and a payload, about
 * N/600 KB together) goes into a static map that is never cleared, so the retained heap grows by about N KB a minute.
 * The analysis should name {@code LeakingSoak$Session}, early, and keep naming it.
 *
 * <p>Usage: {@code java -cp DIR LeakingSoak SECONDS PLUGIN_CLASS_DIR CHURN_THREADS PAUSE_MS LEAK_KB_PER_MINUTE}
 */
public class LeakingSoak {
    static final int SESSIONS_PER_SECOND = 10;
    // What a Session holds besides its payload's bytes: its header and fields, the Long key, the String and its
    // byte[], the map's node (64-bit HotSpot, compressed pointers).
    static final int SESSION_OVERHEAD_BYTES = 160;
    static final Map<Long, Session> SESSIONS = new HashMap<>();

    static final class Session {
        final long id;
        final String user;
        final byte[] payload;

        Session(long id, int payloadBytes) {
            this.id = id;
            this.user = "user-" + id;
            this.payload = new byte[payloadBytes];
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            throw new IllegalArgumentException(
                    "usage: LeakingSoak SECONDS PLUGIN_CLASS_DIR CHURN_THREADS PAUSE_MS LEAK_KB_PER_MINUTE");
        }
        Soak.Load load = Soak.Load.parse(java.util.Arrays.copyOf(args, 4), "LeakingSoak");
        int payloadBytes = Math.max(0,
                Integer.parseInt(args[4]) * 1024 / (60 * SESSIONS_PER_SECOND) - SESSION_OVERHEAD_BYTES);
        List<Thread> threads = load.start();
        Map<Integer, byte[]> retained = new HashMap<>();
        long start = System.nanoTime();
        long end = start + load.seconds() * 1_000_000_000L;
        long sessionEveryNanos = 1_000_000_000L / SESSIONS_PER_SECOND;
        long nextSession = start;
        int i = 0;
        while (System.nanoTime() < end) {
            retained.put(i++ % 20_000, new byte[512]); // bounded, as in Soak
            while (System.nanoTime() >= nextSession) {
                long id = SESSIONS.size();
                SESSIONS.put(id, new Session(id, payloadBytes)); // never removed: the leak
                nextSession += sessionEveryNanos;
            }
            Thread.sleep(1);
        }
        Soak.stop(threads);
        System.out.println("soak ok: " + Soak.work.get() + " units, " + retained.size() + " retained, "
                + SESSIONS.size() + " sessions leaked");
    }
}
