package dev.leakwatch.agent.snapshot;

import dev.leakwatch.agent.log.AgentLog;
import dev.leakwatch.format.SnapshotCodec;
import dev.leakwatch.format.SnapshotFormat;
import dev.leakwatch.format.SnapshotFormatException;
import dev.leakwatch.format.model.BufferPoolGauge;
import dev.leakwatch.format.model.ClassHistogram;
import dev.leakwatch.format.model.GcGauge;
import dev.leakwatch.format.model.HistogramKind;
import dev.leakwatch.format.model.JvmGauges;
import dev.leakwatch.format.model.MemoryPoolGauge;
import dev.leakwatch.format.model.Snapshot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Synthetic snapshots, and a reader of segment files written here on purpose instead of the analyzer's: the tests
 * pin what is on disk (gzip members of JSON lines), not what one reader makes of it.
 */
final class TestSnapshots {
    private TestSnapshots() {}

    static Snapshot snapshot(long sequence) {
        Random random = new Random(sequence);
        int rows = 200;
        String[] names = new String[rows];
        long[] instances = new long[rows];
        long[] bytes = new long[rows];
        for (int i = 0; i < rows; i++) {
            names[i] = "com.example.app.Type" + i;
            instances[i] = 1 + random.nextInt(1_000_000);
            bytes[i] = instances[i] * (16 + random.nextInt(64));
        }
        JvmGauges gauges = new JvmGauges(
                100,
                200,
                400,
                50,
                3000,
                3100,
                100,
                12,
                List.of(new MemoryPoolGauge("G1 Old Gen", true, 80, 60, 150, 400)),
                List.of(new BufferPoolGauge("direct", 3, 4096, 4096)),
                List.of(new GcGauge("G1 Young Generation", 7, 21)));
        return new Snapshot(
                sequence,
                1_700_000_000_000L + sequence * 1000,
                sequence * 1000,
                4242,
                "17.0.15+6",
                12,
                new ClassHistogram(HistogramKind.LIVE, names, instances, bytes),
                Optional.of(gauges));
    }

    static byte[] gzipMember(Snapshot snapshot) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(SnapshotCodec.encode(snapshot));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The segment files in index order. */
    static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file ->
                            SnapshotFormat.segmentIndex(file.getFileName().toString()) >= 0)
                    .sorted((a, b) -> Long.compare(
                            SnapshotFormat.segmentIndex(a.getFileName().toString()),
                            SnapshotFormat.segmentIndex(b.getFileName().toString())))
                    .collect(Collectors.toList());
        }
    }

    static long totalSize(Path dir) throws IOException {
        long total = 0;
        for (Path segment : segments(dir)) {
            total += Files.size(segment);
        }
        return total;
    }

    static List<Snapshot> readAll(Path dir) throws IOException {
        List<Snapshot> all = new ArrayList<>();
        for (Path segment : segments(dir)) {
            all.addAll(read(segment).records());
        }
        return all;
    }

    record SegmentContent(List<Snapshot> records, boolean torn) {}

    /** Decompresses member after member; a torn last member ends the reading and is reported, not thrown. */
    static SegmentContent read(Path segment) throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        boolean torn = false;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(Files.readAllBytes(segment)))) {
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                text.write(buffer, 0, n);
            }
        } catch (IOException e) {
            torn = true;
        }
        String decompressed = text.toString(StandardCharsets.UTF_8);
        int complete = decompressed.lastIndexOf('\n') + 1; // a torn member may leave half a line: not a record
        List<Snapshot> records = new ArrayList<>();
        for (String line : decompressed.substring(0, complete).split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            try {
                records.add(SnapshotCodec.decode(line));
            } catch (SnapshotFormatException e) {
                throw new AssertionError("unreadable record in " + segment + ": " + e.getMessage(), e);
            }
        }
        return new SegmentContent(records, torn || complete < decompressed.length());
    }

    /** An {@link AgentLog} whose lines the test can read. */
    static final class CapturedLog {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final AgentLog log = new AgentLog(new PrintStream(out, true, StandardCharsets.UTF_8));

        List<String> lines() {
            String text;
            synchronized (out) {
                text = out.toString(StandardCharsets.UTF_8);
            }
            return Arrays.stream(text.split("\n"))
                    .filter(line -> !line.isEmpty())
                    .collect(Collectors.toList());
        }

        List<String> linesContaining(String part) {
            return lines().stream().filter(line -> line.contains(part)).collect(Collectors.toList());
        }
    }
}
