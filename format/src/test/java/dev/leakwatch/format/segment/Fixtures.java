package dev.leakwatch.format.segment;

import dev.leakwatch.format.SnapshotCodec;
import dev.leakwatch.format.model.BufferPoolGauge;
import dev.leakwatch.format.model.ClassHistogram;
import dev.leakwatch.format.model.GcGauge;
import dev.leakwatch.format.model.HistogramKind;
import dev.leakwatch.format.model.JvmGauges;
import dev.leakwatch.format.model.MemoryPoolGauge;
import dev.leakwatch.format.model.Snapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

/** Snapshots and segment files as the agent writes them, built in memory for the reader tests. */
public final class Fixtures {
    public static final long T0 = Instant.parse("2026-11-25T10:00:00Z").toEpochMilli();
    public static final long MINUTE = 60_000;

    private Fixtures() {}

    /** One snapshot of a JVM started at {@code jvmStart}, with a class that grows by 1000 instances per sequence. */
    public static Snapshot snapshot(long pid, long jvmStart, long sequence, long epochMillis) {
        ClassHistogram histogram = new ClassHistogram(
                HistogramKind.ALL_AFTER_GC,
                new String[] {"byte[]", "java.lang.String", "com.example.Leaky$SessionEntry"},
                new long[] {10_000 + sequence * 10, 8_000, 1_000 * (sequence + 1)},
                new long[] {500_000 + sequence * 640, 192_000, 24_000 * (sequence + 1)});
        JvmGauges gauges = new JvmGauges(
                64_000_000 + sequence,
                128_000_000,
                512_000_000,
                40_000_000,
                3_000,
                3_100,
                100,
                12,
                List.of(
                        new MemoryPoolGauge(
                                "G1 Old Gen", true, 30_000_000, 28_000_000 + sequence, 64_000_000, 512_000_000),
                        new MemoryPoolGauge("Metaspace", false, 20_000_000, -1, 21_000_000, -1)),
                List.of(new BufferPoolGauge("direct", 4, 32_768, 32_768)),
                List.of(
                        new GcGauge("G1 Young Generation", 10 + sequence, 50),
                        new GcGauge("G1 Old Generation", 1, 20)));
        return new Snapshot(
                sequence, epochMillis, epochMillis - jvmStart, pid, "17.0.15+6", 15, histogram, Optional.of(gauges));
    }

    /** {@code count} snapshots of one run, one a minute from {@code firstEpochMillis}, sequences from 0. */
    public static List<Snapshot> run(long pid, long jvmStart, long firstEpochMillis, int count) {
        return run(pid, jvmStart, firstEpochMillis, 0, count);
    }

    public static List<Snapshot> run(long pid, long jvmStart, long firstEpochMillis, long firstSequence, int count) {
        List<Snapshot> snapshots = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            snapshots.add(snapshot(pid, jvmStart, firstSequence + i, firstEpochMillis + i * MINUTE));
        }
        return snapshots;
    }

    /** A record as its own complete gzip member, as the agent appends it to a segment. */
    public static byte[] gzipMember(Snapshot snapshot) {
        return gzip(SnapshotCodec.encode(snapshot));
    }

    /** The bytes as one gzip member. */
    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static byte[] gzipSegment(List<Snapshot> snapshots) {
        ByteArrayOutputStream segment = new ByteArrayOutputStream();
        for (Snapshot snapshot : snapshots) {
            segment.writeBytes(gzipMember(snapshot));
        }
        return segment.toByteArray();
    }

    public static Path writeGzipSegment(Path directory, long index, List<Snapshot> snapshots) throws IOException {
        return Files.write(directory.resolve(String.format("snapshots-%06d.jsonl.gz", index)), gzipSegment(snapshots));
    }

    /** A plain segment: the lines as given, each ended by a newline. */
    public static Path writePlainSegment(Path directory, long index, List<String> lines) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line).append('\n');
        }
        return Files.writeString(directory.resolve(String.format("snapshots-%06d.jsonl", index)), text);
    }

    /** The record's JSON line without its newline. */
    public static String line(Snapshot snapshot) {
        return new String(SnapshotCodec.encode(snapshot), StandardCharsets.UTF_8).stripTrailing();
    }

    public static byte[] concat(byte[] first, byte[] second) {
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
