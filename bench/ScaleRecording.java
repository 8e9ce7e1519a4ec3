import dev.leakwatch.format.SnapshotCodec;
import dev.leakwatch.format.SnapshotFormat;
import dev.leakwatch.format.model.BufferPoolGauge;
import dev.leakwatch.format.model.ClassHistogram;
import dev.leakwatch.format.model.GcGauge;
import dev.leakwatch.format.model.HistogramKind;
import dev.leakwatch.format.model.JvmGauges;
import dev.leakwatch.format.model.MemoryPoolGauge;
import dev.leakwatch.format.model.Snapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a recording the size of a long run of a large application, with the real codec and the agent's layout
 * (one gzip member per record, segments of 16 MB), for measuring what {@code analyze} needs in time and memory:
 *
 * <pre>
 *   mvn -q -pl analyzer -am package -DskipTests
 *   java -cp analyzer/target/leakwatch-analyzer.jar bench/ScaleRecording.java /tmp/scale [SNAPSHOTS] [CLASSES]
 *   /usr/bin/time -v java -Xmx512m -jar analyzer/target/leakwatch-analyzer.jar analyze /tmp/scale
 * </pre>
 *
 * Defaults: 10,000 snapshots 10 s apart (28 hours) of 5,000 classes. The histograms hold classes of every size, each
 * with its own noise; three of them leak steadily, the rest stay flat. The seed is fixed, so two runs write the
 * same bytes. Not part of the test suite: the figures depend on the machine; they go to {@code docs/measurements.md}.
 */
public final class ScaleRecording {
    private static final long SEGMENT_BYTES = 16L << 20;
    private static final long INTERVAL_MILLIS = 10_000;
    private static final long PID = 31337;

    public static void main(String[] args) throws IOException {
        Path directory = Path.of(args.length > 0 ? args[0] : "/tmp/leakwatch-scale");
        int snapshots = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int classes = args.length > 2 ? Integer.parseInt(args[2]) : 5_000;
        Files.createDirectories(directory);
        SplittableRandom random = new SplittableRandom(42);
        String[] names = new String[classes];
        long[] objectSize = new long[classes];
        long[] baseCount = new long[classes];
        for (int i = 0; i < classes; i++) {
            names[i] = i % 10 == 0 ? "com.example.generated.p" + i % 97 + ".Type" + i + "[]"
                    : "com.example.generated.p" + i % 97 + ".Type" + i + (i % 7 == 0 ? "$Inner" + i % 13 : "");
            objectSize[i] = 16 + 8 * random.nextInt(12);
            baseCount[i] = 1 + (long) Math.pow(10, random.nextDouble() * 6);
        }
        int[] leaking = {classes / 3, classes / 2, classes - 1};
        long start = Instant.parse("2026-11-25T00:00:00Z").toEpochMilli();
        long jvmStart = start - 60_000;
        int segment = 0;
        long segmentBytes = 0;
        OutputStream out = open(directory, segment);
        long written = 0;
        for (int s = 0; s < snapshots; s++) {
            long[] instances = new long[classes];
            long[] bytes = new long[classes];
            long heap = 0;
            for (int i = 0; i < classes; i++) {
                long count = baseCount[i] + random.nextLong(Math.max(1, baseCount[i] / 20 + 1));
                for (int leak : leaking) {
                    if (leak == i) {
                        count += 50L * s;
                    }
                }
                instances[i] = count;
                bytes[i] = count * objectSize[i];
                heap += bytes[i];
            }
            long time = start + s * INTERVAL_MILLIS;
            JvmGauges gauges = new JvmGauges(heap, 2 * heap, 8L << 30, 120_000_000, 9_000 + Math.min(s, 500), 9_500 + s,
                    500, 80, List.of(new MemoryPoolGauge("G1 Old Gen", true, heap, heap - heap / 10, 2 * heap, 8L << 30)),
                    List.of(new BufferPoolGauge("direct", 12, 1 << 20, 1 << 20)),
                    List.of(new GcGauge("G1 Young Generation", 10L * s, 3L * s), new GcGauge("G1 Old Generation", s, 40L * s)));
            Snapshot snapshot = new Snapshot(s, time, time - jvmStart, PID, "17.0.15+6", 40,
                    new ClassHistogram(HistogramKind.LIVE, names, instances, bytes), Optional.of(gauges));
            byte[] member = gzip(SnapshotCodec.encode(snapshot));
            if (segmentBytes > 0 && segmentBytes + member.length > SEGMENT_BYTES) {
                out.close();
                out = open(directory, ++segment);
                segmentBytes = 0;
            }
            out.write(member);
            segmentBytes += member.length;
            written += member.length;
        }
        out.close();
        System.out.printf("%d snapshots of %d classes in %d segments, %.1f MB, in %s%n", snapshots, classes, segment + 1,
                written / 1e6, directory);
    }

    private static OutputStream open(Path directory, int segment) throws IOException {
        return Files.newOutputStream(directory.resolve(SnapshotFormat.segmentFileName(segment)),
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    }

    private static byte[] gzip(byte[] record) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(record.length / 4);
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(record);
        }
        return bytes.toByteArray();
    }
}
