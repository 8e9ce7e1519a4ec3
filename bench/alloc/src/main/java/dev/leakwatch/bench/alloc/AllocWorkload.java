package dev.leakwatch.bench.alloc;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * An allocation-heavy, leak-free workload on real libraries, for {@code bench/allocation-overhead.sh}: each
 * iteration round-trips a batch of orders through Jackson, inserts, selects and deletes rows of an in-memory H2
 * database, gets and puts in a bounded Caffeine cache, and builds and splits strings.
 *
 * <pre>
 *   java -jar alloc-workload.jar hello                       # prints time-to-main-ms and exits
 *   java -jar alloc-workload.jar run [ITERATIONS [WARMUP]]   # the timed run
 * </pre>
 *
 * <p>The amount of work is fixed (iterations, not time) and every random choice comes from a seeded generator, so
 * every configuration of the benchmark does the same work; the printed {@code checksum} proves it. The warm-up
 * iterations (class loading, JIT) are run on the same data and left out of {@code elapsed-ms}. Single-threaded on
 * purpose: on the 2-core benchmark machine the second core is left to the GC, the JIT and whatever agent is under
 * test, which is what makes their cost visible. Caffeine's maintenance runs on the caller's thread for the same
 * reason (no common-pool tasks whose scheduling would vary from run to run).
 *
 * <p>Output, one {@code key value} per line, for the script to parse: {@code time-to-main-ms} (JVM start, as the
 * JVM itself recorded it, to the first line of {@code main}), {@code warmup-ms}, {@code elapsed-ms},
 * {@code last-quarter-ms} (the last quarter of the timed iterations: closest to steady state),
 * {@code allocated-kb-per-iteration} (bytes the main thread allocated in the timed phase: the JIT's escape analysis
 * removes some allocations, and instrumentation that lets objects escape puts them back), {@code ops-per-s}
 * (iterations per second), {@code checksum} (the same in every run with the same arguments),
 * {@code cache-hits}, {@code heap-after-gc-kb} (heap in use after two full GCs at the end: what stays live, the
 * tools' own tables included) and {@code classes-loaded}.
 */
public final class AllocWorkload implements AutoCloseable {
    static final int DEFAULT_ITERATIONS = 6000;
    static final int DEFAULT_WARMUP = 1500;
    static final long SEED = 42;

    static final int ORDERS_PER_BATCH = 48;
    static final int ITEMS_PER_ORDER = 5;
    static final int ROWS_PER_ITERATION = 24;
    /** Rows kept in the table: older ones are deleted, so the database stays bounded. */
    static final int ROWS_KEPT = 1024;
    static final int ROWS_SELECTED = 192;
    static final int CACHE_SIZE = 20_000;
    static final int CACHE_KEYS = 60_000;
    static final int CACHE_OPS = 512;

    private static final TypeReference<List<Order>> ORDER_LIST = new TypeReference<>() {
    };

    private final ObjectMapper mapper = new ObjectMapper();
    private final Cache<String, Order> cache = Caffeine.newBuilder()
            .maximumSize(CACHE_SIZE)
            .executor(Runnable::run)
            .build();
    private final SplittableRandom random = new SplittableRandom(SEED);
    private final Connection db;
    private final PreparedStatement insert;
    private final PreparedStatement select;
    private final PreparedStatement delete;
    private long nextRowId;
    private long checksum;
    /** Kept out of the checksum: Caffeine's admission policy is randomized (against hash flooding) by design. */
    private long cacheHits;

    public static void main(String[] args) throws Exception {
        long mainEntry = System.currentTimeMillis();
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        System.out.println("time-to-main-ms " + (mainEntry - jvmStart));
        String mode = args.length > 0 ? args[0] : "run";
        if (mode.equals("hello")) {
            return;
        }
        if (!mode.equals("run")) {
            System.err.println("usage: alloc-workload (hello | run [ITERATIONS [WARMUP]])");
            System.exit(2);
        }
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_ITERATIONS;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : DEFAULT_WARMUP;

        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        try (AllocWorkload workload = new AllocWorkload()) {
            long t0 = System.nanoTime();
            for (int i = 0; i < warmup; i++) {
                workload.iteration();
            }
            long allocated0 = threads.getThreadAllocatedBytes(self);
            long t1 = System.nanoTime();
            int lastQuarter = iterations - iterations / 4;
            long tq = t1;
            for (int i = 0; i < iterations; i++) {
                if (i == lastQuarter) {
                    tq = System.nanoTime();
                }
                workload.iteration();
            }
            long t2 = System.nanoTime();
            long allocated = threads.getThreadAllocatedBytes(self) - allocated0;
            double elapsedMs = (t2 - t1) / 1e6;
            System.out.println("warmup-ms " + Math.round((t1 - t0) / 1e6));
            System.out.println("elapsed-ms " + Math.round(elapsedMs));
            System.out.println("last-quarter-ms " + Math.round((t2 - tq) / 1e6));
            System.out.println("allocated-kb-per-iteration " + allocated / 1024 / Math.max(1, iterations));
            System.out.println("ops-per-s " + String.format(Locale.ROOT, "%.1f", iterations / (elapsedMs / 1000)));
            System.out.println("checksum " + workload.checksum);
            System.out.println("cache-hits " + workload.cacheHits);
        }
        System.gc();
        System.gc();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        System.out.println("heap-after-gc-kb " + heap.getUsed() / 1024);
        System.out.println("classes-loaded " + ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
    }

    AllocWorkload() throws SQLException {
        db = DriverManager.getConnection("jdbc:h2:mem:allocbench", "sa", "");
        try (Statement ddl = db.createStatement()) {
            ddl.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, customer VARCHAR(64), total DECIMAL(12,2), "
                    + "items INT, payload VARCHAR(4096))");
        }
        insert = db.prepareStatement("INSERT INTO orders (id, customer, total, items, payload) VALUES (?, ?, ?, ?, ?)");
        select = db.prepareStatement("SELECT id, customer, total, items, payload FROM orders WHERE id > ? ORDER BY id");
        delete = db.prepareStatement("DELETE FROM orders WHERE id <= ?");
    }

    void iteration() throws Exception {
        List<Order> batch = newBatch();
        checksum += jackson(batch);
        checksum += h2(batch);
        cacheHits += caffeine();
        checksum += strings(batch);
    }

    private List<Order> newBatch() {
        List<Order> batch = new ArrayList<>(ORDERS_PER_BATCH);
        for (int o = 0; o < ORDERS_PER_BATCH; o++) {
            List<LineItem> items = new ArrayList<>(ITEMS_PER_ORDER);
            for (int i = 0; i < ITEMS_PER_ORDER; i++) {
                items.add(new LineItem("SKU-" + random.nextInt(100_000), 1 + random.nextInt(9),
                        random.nextInt(1, 100_000) / 100.0));
            }
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put("channel", random.nextBoolean() ? "web" : "store");
            attributes.put("region", "R" + random.nextInt(32));
            attributes.put("campaign", "C" + random.nextInt(1000));
            attributes.put("note", Long.toHexString(random.nextLong()));
            batch.add(new Order(random.nextLong(1, Long.MAX_VALUE), "customer-" + random.nextInt(50_000),
                    random.nextLong(1_600_000_000_000L, 1_700_000_000_000L), items, attributes));
        }
        return batch;
    }

    /** Serialize the batch, read it back, and each order once more on its own (what H2 stores). */
    private long jackson(List<Order> batch) throws Exception {
        byte[] json = mapper.writeValueAsBytes(batch);
        List<Order> back = mapper.readValue(json, ORDER_LIST);
        long sum = json.length;
        for (Order order : back) {
            sum += order.items().size() + order.attributes().size();
        }
        return sum;
    }

    /** Insert a few orders, select the most recent rows and parse their payloads, delete the oldest. */
    private long h2(List<Order> batch) throws Exception {
        for (int r = 0; r < ROWS_PER_ITERATION; r++) {
            Order order = batch.get(r);
            insert.setLong(1, ++nextRowId);
            insert.setString(2, order.customer());
            insert.setBigDecimal(3, java.math.BigDecimal.valueOf(Math.round(order.total() * 100), 2));
            insert.setInt(4, order.items().size());
            insert.setString(5, mapper.writeValueAsString(order));
            insert.addBatch();
        }
        insert.executeBatch();
        long sum = 0;
        select.setLong(1, nextRowId - ROWS_SELECTED);
        try (ResultSet rows = select.executeQuery()) {
            int row = 0;
            while (rows.next()) {
                sum += rows.getLong(1) + rows.getString(2).length() + rows.getInt(4);
                if (row++ % 8 == 0) {
                    sum += mapper.readValue(rows.getString(5), Order.class).items().size();
                }
            }
        }
        delete.setLong(1, nextRowId - ROWS_KEPT);
        sum += delete.executeUpdate();
        return sum;
    }

    /**
     * Skewed keys over a key space three times the cache's size: hits, misses and evictions. Returns the hits, which
     * vary a little from run to run (see {@link #cacheHits}).
     */
    private long caffeine() {
        long sum = 0;
        for (int op = 0; op < CACHE_OPS; op++) {
            int k = (int) (CACHE_KEYS * Math.pow(random.nextDouble(), 2));
            String key = "order:" + k;
            Order order = cache.getIfPresent(key);
            if (order == null) {
                order = new Order(k, "customer-" + (k % 50_000), 0L, List.of(), Map.of("k", key));
                cache.put(key, order);
            } else {
                sum++;
            }
        }
        return sum;
    }

    /** A CSV line per order, built and split again, and a formatted summary line. */
    private long strings(List<Order> batch) {
        StringBuilder csv = new StringBuilder();
        for (Order order : batch) {
            csv.append(order.id()).append(',').append(order.customer()).append(',').append(order.createdAt());
            for (LineItem item : order.items()) {
                csv.append(',').append(item.sku()).append(':').append(item.quantity()).append('@').append(item.price());
            }
            csv.append('\n');
        }
        long sum = 0;
        for (String line : csv.toString().split("\n")) {
            String[] fields = line.split(",");
            sum += fields.length + fields[1].toUpperCase(Locale.ROOT).hashCode();
        }
        sum += String.format(Locale.ROOT, "%d orders, %.2f total", batch.size(), batch.get(0).total()).length();
        return sum;
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }

    public record LineItem(String sku, int quantity, double price) {
    }

    public record Order(long id, String customer, long createdAt, List<LineItem> items, Map<String, String> attributes) {
        public double total() {
            double total = 0;
            for (LineItem item : items) {
                total += item.quantity() * item.price();
            }
            return total;
        }
    }
}
