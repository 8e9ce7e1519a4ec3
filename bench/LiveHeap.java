import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A JVM whose live heap is about a given size, for measuring what one class histogram costs as the heap grows.
 * Not a test: {@code bench/snapshot-cost.sh} starts it, waits for the {@code ready} line, measures, and kills it.
 *
 * <pre>java -Xmx3g bench/LiveHeap.java 1g</pre>
 *
 * <p>The live set imitates a service's heap rather than a few big arrays, because a full GC's cost is driven by
 * the number of objects and references it has to trace, not only by bytes:
 * <ul>
 *   <li>half of it is a session cache: sharded {@link HashMap}s of {@code Session} objects, each with a String
 *       key, a String name and a {@code byte[]} payload of 64 to 512 bytes (7 objects, about 500 bytes an entry
 *       with its {@code HashMap$Node});</li>
 *   <li>30% is an object graph of small {@code Node}s, each pointing at two random earlier nodes, a quarter of
 *       them carrying a boxed {@link Long} (tracing it jumps around the heap);</li>
 *   <li>20% is medium {@code long[]} buffers of 1 to 8 KB (bytes without many objects).</li>
 * </ul>
 * At 1g that is about 17 million objects. Sizes are estimated for compressed oops and class pointers (12-byte
 * headers, 8-byte alignment), the 64-bit default below 32 GB; the script reads the true live set from the
 * histogram.
 *
 * <p>Once built it prints {@code ready live=<estimated bytes> objects=<estimated count> at=<epoch ms>} and keeps a
 * light steady churn (about 5 MB/s: replacing cache entries and relinking graph nodes, so the live set stays the
 * same size) until it is killed. The seed is fixed, so two runs build the same heap.
 */
public final class LiveHeap {
    private static final int OBJECT_HEADER = 12;
    private static final int REFERENCE = 4;
    private static final int SHARDS = 64;
    private static final int NODES_PER_CHUNK = 4096;
    private static final long CHURN_BYTES_PER_SECOND = 5L << 20;
    private static final int CHURN_STEPS_PER_SECOND = 50;

    private final SplittableRandom random = new SplittableRandom(42);
    private final List<Map<String, Session>> cache = new ArrayList<>();
    private final List<Node[]> graph = new ArrayList<>();
    private final List<long[]> buffers = new ArrayList<>();
    private long nextSessionId;
    private long nodeCount;
    private long estimatedBytes;
    private long estimatedObjects;

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: java -Xmx<3 x SIZE> bench/LiveHeap.java SIZE   (SIZE like 256m, 1g)");
            System.exit(2);
        }
        long target = parseSize(args[0]);
        LiveHeap heap = new LiveHeap();
        heap.build(target);
        System.out.printf(Locale.ROOT, "ready live=%d objects=%d at=%d%n", heap.estimatedBytes, heap.estimatedObjects,
                System.currentTimeMillis());
        System.out.flush();
        heap.churnForever();
    }

    private void build(long target) {
        for (int i = 0; i < SHARDS; i++) {
            cache.add(new HashMap<>());
        }
        long cacheTarget = target / 2;
        while (estimatedBytes < cacheTarget) {
            putSession();
        }
        long graphTarget = estimatedBytes + target * 3 / 10;
        while (estimatedBytes < graphTarget) {
            addNode();
        }
        while (estimatedBytes < target) {
            addBuffer();
        }
    }

    /** Replaces cache entries and graph edges at a steady rate; every replaced entry becomes garbage. */
    private void churnForever() throws InterruptedException {
        long bytesPerStep = CHURN_BYTES_PER_SECOND / CHURN_STEPS_PER_SECOND;
        long sleepMillis = 1000 / CHURN_STEPS_PER_SECOND;
        while (true) {
            for (long replaced = 0; replaced < bytesPerStep; ) {
                replaced += replaceSession();
                relinkNode();
            }
            Thread.sleep(sleepMillis);
        }
    }

    private void putSession() {
        Session session = newSession(nextSessionId++);
        cache.get((int) (session.id % SHARDS)).put(session.key, session);
        estimatedBytes += session.bytes() + 32 + 2 * REFERENCE / 0.75; // HashMap$Node, table slots at 0.75 load
        estimatedObjects += 7;
    }

    /** Swaps a random entry for a new one with the same key, so the map keeps its size; returns bytes allocated. */
    private long replaceSession() {
        long id = random.nextLong(nextSessionId);
        Session fresh = newSession(id);
        cache.get((int) (id % SHARDS)).put(fresh.key, fresh);
        return fresh.bytes();
    }

    private Session newSession(long id) {
        String key = "session-" + id;
        String name = "user" + random.nextInt(10_000_000) + "@example.com";
        byte[] payload = new byte[64 + random.nextInt(449)];
        random.nextBytes(payload);
        return new Session(id, key, name, payload, System.currentTimeMillis());
    }

    private void addNode() {
        int slot = (int) (nodeCount % NODES_PER_CHUNK);
        if (slot == 0) {
            graph.add(new Node[NODES_PER_CHUNK]);
            estimatedBytes += align(OBJECT_HEADER + 4 + (long) NODES_PER_CHUNK * REFERENCE);
            estimatedObjects++;
        }
        Node node = new Node(nodeCount, randomNode(), randomNode());
        estimatedBytes += 32;
        estimatedObjects++;
        if (random.nextInt(4) == 0) {
            node.attachment = Long.valueOf(random.nextLong());
            estimatedBytes += 16;
            estimatedObjects++;
        }
        graph.get(graph.size() - 1)[slot] = node;
        nodeCount++;
    }

    private void relinkNode() {
        if (nodeCount > 0) {
            Node node = nodeAt(random.nextLong(nodeCount));
            node.left = randomNode();
        }
    }

    private Node randomNode() {
        return nodeCount == 0 ? null : nodeAt(random.nextLong(nodeCount));
    }

    private Node nodeAt(long index) {
        return graph.get((int) (index / NODES_PER_CHUNK))[(int) (index % NODES_PER_CHUNK)];
    }

    private void addBuffer() {
        long[] buffer = new long[128 + random.nextInt(897)];
        buffer[0] = random.nextLong();
        buffers.add(buffer);
        estimatedBytes += align(OBJECT_HEADER + 4 + 8L * buffer.length) + REFERENCE;
        estimatedObjects++;
    }

    static long parseSize(String text) {
        String size = text.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        char last = size.charAt(size.length() - 1);
        if (last == 'k' || last == 'm' || last == 'g') {
            unit = last == 'k' ? 1L << 10 : last == 'm' ? 1L << 20 : 1L << 30;
            size = size.substring(0, size.length() - 1);
        }
        return Long.parseLong(size) * unit;
    }

    static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }

    static long stringBytes(String latin1) {
        return 24 + align(OBJECT_HEADER + 4 + latin1.length());
    }

    /** A cache entry's value; {@link #bytes()} is its share of the heap. */
    static final class Session {
        final long id;
        final String key;
        final String name;
        final byte[] payload;
        final long created;

        Session(long id, String key, String name, byte[] payload, long created) {
            this.id = id;
            this.key = key;
            this.name = name;
            this.payload = payload;
            this.created = created;
        }

        /** This object (header + 2 longs + 3 references = 40), its two Strings and its payload. */
        long bytes() {
            return 40 + stringBytes(key) + stringBytes(name) + align(OBJECT_HEADER + 4 + payload.length);
        }
    }

    /** 32 bytes: header, long id, three references. */
    static final class Node {
        final long id;
        Node left;
        final Node right;
        Object attachment;

        Node(long id, Node left, Node right) {
            this.id = id;
            this.left = left;
            this.right = right;
        }
    }
}
