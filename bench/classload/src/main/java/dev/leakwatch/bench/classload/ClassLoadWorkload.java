package dev.leakwatch.bench.classload;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import groovy.lang.Binding;
import groovy.lang.GroovyShell;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * A start-up-shaped workload for {@code bench/class-loading.sh}: it loads and initializes every class of four real
 * libraries (Groovy 4 with the ASM, ANTLR and picocli copies it ships, H2, Jackson, Caffeine: about 7,400 classes,
 * which pull in JDK classes to about 10,000 loaded in all), then does a little real work with them, so that the
 * loaded code also runs: it compiles and runs a Groovy script, fills and queries an in-memory H2 database, round-trips
 * JSON through Jackson and uses a Caffeine cache.
 *
 * <pre>
 *   java -jar classload-workload.jar
 * </pre>
 *
 * <p>The load phase walks the workload's own (shaded) jar in name order and calls
 * {@code Class.forName(name, true, loader)} on each library class: loading, verification, linking and the static
 * initializer, as an application start does for the classes it uses. Some classes cannot be initialized here (they
 * need optional dependencies that are absent: Ant, JUnit, OSGi, Lucene, servlets, ...); they are counted, the first
 * few named on stderr, and their names hashed into {@code load-failed-digest}, which must be the same in every run:
 * a class that fails under one agent only is a finding.
 *
 * <p>Output, one {@code key value} per line: {@code time-to-main-ms} (JVM start, as the JVM recorded it, to the first
 * line of {@code main}), {@code library-classes} (names attempted), {@code load-failed}, {@code load-failed-digest},
 * {@code load-ms}, {@code classes-after-load}, {@code work-ms}, {@code checksum} (the same in every run) and
 * {@code classes-loaded} (ClassLoadingMXBean's total at the end, hidden and generated classes included) and, under
 * leakwatch, {@code leakwatch-instrumented-classes}.
 */
public final class ClassLoadWorkload {
    /** Entry-name prefixes of the libraries whose classes are loaded: everything in the jar but this workload. */
    static final List<String> LIBRARY_PREFIXES = List.of(
            "groovy/", "groovyjarjar", "org/codehaus/groovy/", "org/apache/groovy/",
            "org/h2/", "com/fasterxml/jackson/", "com/github/benmanes/caffeine/");
    static final int FAILURES_NAMED = 10;

    static final String LEAKWATCH_MBEAN = "dev.leakwatch:type=Agent";
    static final Pattern INSTRUMENTED = Pattern.compile("(\\d+) classes instrumented");

    static final int ROWS = 2_000;
    static final int CACHE_KEYS = 5_000;

    public static void main(String[] args) throws Exception {
        long mainEntry = System.currentTimeMillis();
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        System.out.println("time-to-main-ms " + (mainEntry - jvmStart));

        List<String> names = libraryClassNames();
        long t0 = System.nanoTime();
        List<String> failed = loadAll(names);
        long t1 = System.nanoTime();
        System.out.println("library-classes " + names.size());
        System.out.println("load-failed " + failed.size());
        System.out.println("load-failed-digest " + digest(failed));
        System.out.println("load-ms " + Math.round((t1 - t0) / 1e6));
        System.out.println("classes-after-load " + ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());

        long t2 = System.nanoTime();
        long checksum = groovy() + h2() + jackson() + caffeine();
        long t3 = System.nanoTime();
        System.out.println("work-ms " + Math.round((t3 - t2) / 1e6));
        System.out.println("checksum " + checksum);
        System.out.println("classes-loaded " + ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
        printInstrumentedClasses();
    }

    /**
     * When leakwatch runs in this JVM, how many classes it instrumented so far, from its control MBean's status
     * ("N classes instrumented"): neither its report nor its snapshots record the number. Read after everything
     * else, and in every configuration, so that the JMX classes it loads weigh the same everywhere.
     */
    static void printInstrumentedClasses() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName agent = new ObjectName(LEAKWATCH_MBEAN);
        if (server.isRegistered(agent)) {
            Matcher count = INSTRUMENTED.matcher(String.valueOf(server.getAttribute(agent, "Status")));
            if (count.find()) {
                System.out.println("leakwatch-instrumented-classes " + count.group(1));
            }
        }
    }

    /** The library classes in the workload's jar, in name order (the same order in every run). */
    static List<String> libraryClassNames() throws Exception {
        File jar = new File(ClassLoadWorkload.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> names = new ArrayList<>();
        try (JarFile file = new JarFile(jar)) {
            for (Enumeration<JarEntry> entries = file.entries(); entries.hasMoreElements(); ) {
                String entry = entries.nextElement().getName();
                if (entry.endsWith(".class") && !entry.startsWith("META-INF/") && !entry.endsWith("module-info.class")
                        && LIBRARY_PREFIXES.stream().anyMatch(entry::startsWith)) {
                    names.add(entry.substring(0, entry.length() - ".class".length()).replace('/', '.'));
                }
            }
        }
        names.sort(null);
        return names;
    }

    /** Loads and initializes each class; returns the names of those that could not be. */
    static List<String> loadAll(List<String> names) {
        ClassLoader loader = ClassLoadWorkload.class.getClassLoader();
        List<String> failed = new ArrayList<>();
        for (String name : names) {
            try {
                Class.forName(name, true, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                // LinkageError: NoClassDefFoundError for an absent optional dependency, ExceptionInInitializerError,
                // and VerifyError, which would be an instrumentation bug.
                if (failed.size() < FAILURES_NAMED) {
                    System.err.println("[classload] not loaded: " + name + ": " + e);
                }
                failed.add(name);
            }
        }
        return failed;
    }

    static String digest(List<String> names) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (String name : names) {
            sha.update(name.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '\n');
        }
        return HexFormat.of().formatHex(sha.digest(), 0, 6);
    }

    /** Compiles a script with a class, closures, GStrings, regexes and collection methods, and runs it. */
    static long groovy() {
        String script = """
                import groovy.transform.CompileStatic
                import groovy.transform.ToString

                @ToString(includeNames = true)
                class Order {
                    int id
                    String customer
                    BigDecimal total
                    List<String> tags
                }

                @CompileStatic
                static long fib(int n) { n < 2 ? n : fib(n - 1) + fib(n - 2) }

                def orders = (1..n).collect { i ->
                    new Order(id: i, customer: "customer-${i % 97}", total: (i * 37 % 1000) / 10.0,
                              tags: ['web', 'store', 'phone'].subList(0, 1 + i % 3))
                }
                def byCustomer = orders.groupBy { it.customer }
                def totals = byCustomer.collectEntries { k, v -> [k, v.sum { it.total }] }
                def top = totals.sort { a, b -> b.value <=> a.value }.take(5)
                def words = orders.collect { it.toString() }.join(' ').findAll(/customer-\\d+/).countBy { it }
                def text = orders.take(50).collect { "${it.id}:${it.tags.join('|')}" }.join(',')
                long sum = (long) totals.values().sum() + top.size() + words.size() + text.length() + fib(20)
                sum
                """;
        Binding binding = new Binding();
        binding.setVariable("n", 3_000);
        Object result = new GroovyShell(binding).evaluate(script, "Work.groovy");
        return ((Number) result).longValue();
    }

    /** Creates two tables, inserts rows in batches, and runs a join with an aggregate, an update and a lookup. */
    static long h2() throws Exception {
        long sum = 0;
        try (Connection db = DriverManager.getConnection("jdbc:h2:mem:classload", "sa", "")) {
            try (Statement ddl = db.createStatement()) {
                ddl.execute("CREATE TABLE customer (id INT PRIMARY KEY, name VARCHAR(64), region VARCHAR(8))");
                ddl.execute("CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT REFERENCES customer(id), "
                        + "total DECIMAL(12,2), created TIMESTAMP)");
                ddl.execute("CREATE INDEX orders_customer ON orders(customer_id)");
            }
            try (PreparedStatement customer = db.prepareStatement("INSERT INTO customer VALUES (?, ?, ?)")) {
                for (int c = 0; c < 100; c++) {
                    customer.setInt(1, c);
                    customer.setString(2, "customer-" + c);
                    customer.setString(3, "R" + c % 7);
                    customer.addBatch();
                }
                customer.executeBatch();
            }
            try (PreparedStatement order = db.prepareStatement(
                    "INSERT INTO orders VALUES (?, ?, ?, DATEADD(MINUTE, CAST(? AS INT), TIMESTAMP '2026-01-01 00:00:00'))")) {
                for (int o = 0; o < ROWS; o++) {
                    order.setInt(1, o);
                    order.setInt(2, o % 100);
                    order.setBigDecimal(3, java.math.BigDecimal.valueOf(o * 37L % 100_000, 2));
                    order.setInt(4, o);
                    order.addBatch();
                }
                order.executeBatch();
            }
            try (Statement query = db.createStatement()) {
                sum += query.executeUpdate("UPDATE orders SET total = total * 1.1 WHERE MOD(id, 10) = 0");
                try (ResultSet rows = query.executeQuery("SELECT c.region, COUNT(*), SUM(o.total), MAX(o.created) "
                        + "FROM orders o JOIN customer c ON c.id = o.customer_id GROUP BY c.region ORDER BY 3 DESC")) {
                    while (rows.next()) {
                        sum += rows.getString(1).hashCode() + rows.getLong(2) + rows.getBigDecimal(3).longValue();
                    }
                }
            }
            try (PreparedStatement lookup = db.prepareStatement(
                    "SELECT COUNT(*), COALESCE(SUM(total), 0) FROM orders WHERE customer_id = ?")) {
                for (int c = 0; c < 100; c++) {
                    lookup.setInt(1, c);
                    try (ResultSet rows = lookup.executeQuery()) {
                        rows.next();
                        sum += rows.getLong(1) + rows.getBigDecimal(2).longValue();
                    }
                }
            }
        }
        return sum;
    }

    /** Serializes a list of nested maps and records and reads it back, as maps and as records. */
    static long jackson() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            Map<String, Object> attributes = new LinkedHashMap<>();
            attributes.put("channel", i % 2 == 0 ? "web" : "store");
            attributes.put("score", i * 0.5);
            attributes.put("tags", List.of("a" + i % 5, "b" + i % 3));
            lines.add(new Line(i, "SKU-" + i, i % 9 + 1, attributes));
        }
        byte[] json = mapper.writeValueAsBytes(lines);
        List<Line> back = mapper.readValue(json, new TypeReference<List<Line>>() {
        });
        List<Map<String, Object>> maps = mapper.readValue(json, new TypeReference<List<Map<String, Object>>>() {
        });
        return json.length + back.size() + maps.size() + back.get(back.size() - 1).quantity();
    }

    /** A loading cache over a key space larger than its bound: hits, misses, evictions. */
    static long caffeine() {
        LoadingCache<Integer, String> cache = Caffeine.newBuilder()
                .maximumSize(CACHE_KEYS / 4)
                .executor(Runnable::run)
                .recordStats()
                .build(key -> "value-" + key);
        long sum = 0;
        for (int i = 0; i < CACHE_KEYS * 4; i++) {
            sum += cache.get((i * 7919) % CACHE_KEYS).length();
        }
        return sum;
    }

    public record Line(int id, String sku, int quantity, Map<String, Object> attributes) {
    }
}
