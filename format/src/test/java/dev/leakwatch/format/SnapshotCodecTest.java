package dev.leakwatch.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.format.model.AllocationSampler;
import dev.leakwatch.format.model.AllocationStats;
import dev.leakwatch.format.model.BufferPoolGauge;
import dev.leakwatch.format.model.ClassCount;
import dev.leakwatch.format.model.ClassHistogram;
import dev.leakwatch.format.model.GcGauge;
import dev.leakwatch.format.model.HistogramKind;
import dev.leakwatch.format.model.InstrumentationCounts;
import dev.leakwatch.format.model.JvmGauges;
import dev.leakwatch.format.model.MemoryPoolGauge;
import dev.leakwatch.format.model.SiteRetention;
import dev.leakwatch.format.model.Snapshot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The snapshot record format. {@code format/snapshot-v5.jsonl} pins the current version byte for byte: its lines are
 * {@link #withGauges()}, {@link #withoutGauges()}, {@link #withAllocations()}, {@link #withInstrumentation()},
 * {@link #withJvmSampler()} and {@link #withAgentOwned()} encoded. If {@link #encodingMatchesThePinnedCurrentVersionLines} fails, the on-disk format
 * changed: that is a schema change (bump {@link SnapshotFormat#CURRENT_VERSION}, keep reading the older versions,
 * update {@code docs/formats.md}), never a golden file to refresh. {@code format/snapshot-v1.jsonl} to
 * {@code snapshot-v4.jsonl} hold records as those versions wrote them: they must decode forever.
 */
class SnapshotCodecTest {
    private static final String GOLDEN_V1 = "/format/snapshot-v1.jsonl";
    private static final String GOLDEN_V2 = "/format/snapshot-v2.jsonl";
    private static final String GOLDEN_V3 = "/format/snapshot-v3.jsonl";
    private static final String GOLDEN_V4 = "/format/snapshot-v4.jsonl";
    private static final String GOLDEN = "/format/snapshot-v5.jsonl";

    static Snapshot withGauges() {
        ClassHistogram histogram = new ClassHistogram(
                HistogramKind.LIVE,
                new String[] {"byte[]", "java.lang.String", "com.acme.Session", "java.util.HashMap$Node"},
                new long[] {12_993, 8_000, 250, 250},
                new long[] {1_045_504, 192_000, 10_000, 8_000});
        JvmGauges gauges = new JvmGauges(
                64_000_000,
                128_000_000,
                512_000_000,
                40_000_000,
                3_000,
                3_100,
                100,
                12,
                List.of(
                        new MemoryPoolGauge("G1 Old Gen", true, 30_000_000, 28_000_000, 64_000_000, 512_000_000),
                        new MemoryPoolGauge("Metaspace", false, 20_000_000, -1, 21_000_000, -1)),
                List.of(new BufferPoolGauge("direct", 4, 32_768, 32_768)),
                List.of(new GcGauge("G1 Young Generation", 10, 50), new GcGauge("G1 Old Generation", 1, 20)));
        return new Snapshot(7, 1_795_600_000_000L, 65_000, 4123, "17.0.15+6", 15, histogram, Optional.of(gauges));
    }

    static Snapshot withoutGauges() {
        ClassHistogram histogram = new ClassHistogram(
                HistogramKind.ALL, new String[] {"byte[]", "com.acme.Cache$Entry[]"}, new long[] {3, 1}, new long[] {
                    48, 32
                });
        return new Snapshot(0, 1_795_600_060_000L, -1, -1, "", 0, histogram, Optional.empty());
    }

    static Snapshot withAllocations() {
        return withGauges()
                .withAllocations(new AllocationStats(
                        512,
                        1_000,
                        100_000,
                        3,
                        List.of(
                                new SiteRetention(
                                        "com.acme.Session",
                                        List.of(
                                                "com.acme.Sessions.open(Sessions.java:42)",
                                                "com.acme.Api.login(Api.java:17)"),
                                        0,
                                        0,
                                        40,
                                        20_480,
                                        655_360,
                                        7,
                                        1_795_599_000_000L),
                                new SiteRetention(
                                        "java.util.HashMap$Node",
                                        List.of(
                                                "java.util.HashMap.newNode(HashMap.java:1901)",
                                                "java.util.HashMap.putVal(HashMap.java:629)",
                                                "com.acme.Sessions.open(Sessions.java:43)"),
                                        2,
                                        2,
                                        38,
                                        19_456,
                                        622_592,
                                        7,
                                        1_795_599_000_500L))));
    }

    static Snapshot withInstrumentation() {
        Snapshot snapshot = withAllocations();
        return snapshot.withAllocations(
                snapshot.allocations().orElseThrow().withInstrumentation(new InstrumentationCounts(2_315, 41_207, 1)));
    }

    /** Sampled by the JVM's heap sampler, one sample per 512 KiB: nothing instrumented, so no counts. */
    static Snapshot withJvmSampler() {
        Snapshot snapshot = withAllocations();
        return snapshot.withAllocations(
                snapshot.allocations().orElseThrow().withSampler(AllocationSampler.JVM, 512 * 1024));
    }

    /** The agent's own objects in the histogram: its analysis table's columns and the names it keys them by. */
    static Snapshot withAgentOwned() {
        return withJvmSampler()
                .withAgentOwned(List.of(
                        new ClassCount("long[]", 131, 126_720),
                        new ClassCount("java.lang.String", 3, 72),
                        new ClassCount("byte[]", 3, 216)));
    }

    private static List<String> goldenLines() throws IOException {
        return lines(GOLDEN);
    }

    private static List<String> lines(String resource) throws IOException {
        try (InputStream in = SnapshotCodecTest.class.getResourceAsStream(resource)) {
            assertTrue(in != null, "missing test resource " + resource);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    private static String encode(Snapshot snapshot) {
        return new String(SnapshotCodec.encode(snapshot), StandardCharsets.UTF_8);
    }

    @Test
    void encodingMatchesThePinnedCurrentVersionLines() throws IOException {
        List<String> golden = goldenLines();
        assertEquals(6, golden.size());
        assertEquals(golden.get(0) + "\n", encode(withGauges()));
        assertEquals(golden.get(1) + "\n", encode(withoutGauges()));
        assertEquals(golden.get(2) + "\n", encode(withAllocations()));
        assertEquals(golden.get(3) + "\n", encode(withInstrumentation()));
        assertEquals(golden.get(4) + "\n", encode(withJvmSampler()));
        assertEquals(golden.get(5) + "\n", encode(withAgentOwned()));
    }

    @Test
    void decodesThePinnedLinesOfEveryVersion() throws Exception {
        // Old recordings must stay readable by every later analyzer.
        List<String> version1 = lines(GOLDEN_V1);
        assertEquals(withGauges(), SnapshotCodec.decode(version1.get(0)));
        assertEquals(withoutGauges(), SnapshotCodec.decode(version1.get(1)));
        List<String> version2 = lines(GOLDEN_V2);
        assertEquals(withGauges(), SnapshotCodec.decode(version2.get(0)));
        assertEquals(withoutGauges(), SnapshotCodec.decode(version2.get(1)));
        assertEquals(
                withAllocations(), SnapshotCodec.decode(version2.get(2)), "version 2 has no instrumentation counts");
        List<String> version3 = lines(GOLDEN_V3);
        assertEquals(withGauges(), SnapshotCodec.decode(version3.get(0)));
        assertEquals(withoutGauges(), SnapshotCodec.decode(version3.get(1)));
        assertEquals(withAllocations(), SnapshotCodec.decode(version3.get(2)));
        assertEquals(withInstrumentation(), SnapshotCodec.decode(version3.get(3)));
        List<String> version4 = lines(GOLDEN_V4);
        assertEquals(withGauges(), SnapshotCodec.decode(version4.get(0)));
        assertEquals(withoutGauges(), SnapshotCodec.decode(version4.get(1)));
        assertEquals(withAllocations(), SnapshotCodec.decode(version4.get(2)));
        assertEquals(withInstrumentation(), SnapshotCodec.decode(version4.get(3)));
        assertEquals(withJvmSampler(), SnapshotCodec.decode(version4.get(4)), "version 4 names no agent-owned objects");
        List<String> version5 = goldenLines();
        assertEquals(withGauges(), SnapshotCodec.decode(version5.get(0)));
        assertEquals(withoutGauges(), SnapshotCodec.decode(version5.get(1)));
        assertEquals(withAllocations(), SnapshotCodec.decode(version5.get(2)));
        assertEquals(withInstrumentation(), SnapshotCodec.decode(version5.get(3)));
        assertEquals(withJvmSampler(), SnapshotCodec.decode(version5.get(4)));
        assertEquals(withAgentOwned(), SnapshotCodec.decode(version5.get(5)));
    }

    @Test
    void formatsBeforeTheSamplerFieldWereSampledByInstrumentation() throws Exception {
        // Only instrumentation existed then: their intervals count allocations.
        for (String line : List.of(lines(GOLDEN_V2).get(2), lines(GOLDEN_V3).get(3))) {
            assertEquals(AllocationSampler.INSTRUMENTATION, sampler(SnapshotCodec.decode(line)));
        }
    }

    @ParameterizedTest
    @EnumSource(AllocationSampler.class)
    void everySamplerRoundTripsWithItsInterval(AllocationSampler sampler) throws Exception {
        Snapshot snapshot = withAllocations();
        Snapshot sampled =
                snapshot.withAllocations(snapshot.allocations().orElseThrow().withSampler(sampler, 65_536));
        String line = encode(sampled);
        assertTrue(line.contains("\"samplingInterval\":65536,\"sampler\":\"" + sampler.wireName() + "\","), line);
        Snapshot decoded = SnapshotCodec.decode(line);
        assertEquals(sampled, decoded);
        assertEquals(sampler, sampler(decoded));
        assertEquals(65_536, decoded.allocations().orElseThrow().samplingInterval());
    }

    @Test
    void anUnknownSamplerIsRefusedRatherThanReadInTheWrongUnit() throws IOException {
        String jvm = goldenLines().get(4);
        assertMalformed(
                jvm.replace("\"sampler\":\"jvm\"", "\"sampler\":\"async-profiler\""),
                "malformed snapshot record: unknown allocation sampler 'async-profiler'");
        assertMalformed(
                jvm.replace("\"sampler\":\"jvm\"", "\"sampler\":2"),
                "malformed snapshot record: field 'sampler' is not a string");
    }

    private static AllocationSampler sampler(Snapshot snapshot) {
        return snapshot.allocations().orElseThrow().sampler();
    }

    @Test
    void roundTripsWithAndWithoutGauges() throws Exception {
        for (Snapshot snapshot : List.of(withGauges(), withoutGauges(), withAllocations())) {
            byte[] encoded = SnapshotCodec.encode(snapshot);
            assertEquals('\n', encoded[encoded.length - 1], "a record ends its line");
            assertEquals(1, encode(snapshot).lines().count(), "a record is one line");
            assertEquals(snapshot, SnapshotCodec.decode(encode(snapshot).strip()));
        }
    }

    @ParameterizedTest
    @EnumSource(HistogramKind.class)
    void roundTripsEveryHistogramKindAndAwkwardNames(HistogramKind kind) throws Exception {
        ClassHistogram histogram = new ClassHistogram(
                kind,
                new String[] {"com.acme.\"Quoted\"\\Name", "com.acme.Ünïcödé$1", "int[][]", "com.acme.Empty"},
                new long[] {1, SnapshotCodec.MAX_AMOUNT, 0, 0},
                new long[] {16, SnapshotCodec.MAX_AMOUNT, 0, 0});
        Snapshot snapshot = new Snapshot(
                SnapshotCodec.MAX_AMOUNT,
                SnapshotCodec.EARLIEST_TIME,
                -1,
                -1,
                "weird \"vm\"\n",
                0,
                histogram,
                Optional.empty());
        assertEquals(snapshot, SnapshotCodec.decode(encode(snapshot)));
    }

    @Test
    void aNewerVersionSaysToUseANewerAnalyzer() {
        String line = encode(withGauges()).replace("\"schemaVersion\":5,", "\"schemaVersion\":6,");
        SnapshotFormatException e = assertThrows(SnapshotFormatException.class, () -> SnapshotCodec.decode(line));
        assertEquals(
                "snapshot schemaVersion 6 is newer than this analyzer reads (5); use a newer leakwatch analyzer",
                e.getMessage());
    }

    @Test
    void anOlderUnsupportedVersionIsRefused() {
        String line = encode(withGauges()).replace("\"schemaVersion\":5,", "\"schemaVersion\":0,");
        SnapshotFormatException e = assertThrows(SnapshotFormatException.class, () -> SnapshotCodec.decode(line));
        assertEquals("snapshot schemaVersion 0 is not supported (this analyzer reads 1 to 5)", e.getMessage());
    }

    @Test
    void aRecordOfAnotherFormatIsRefused() {
        String line = encode(withGauges()).replace("leakwatch-snapshot", "heapwatch-snapshot");
        SnapshotFormatException e = assertThrows(SnapshotFormatException.class, () -> SnapshotCodec.decode(line));
        assertEquals("not a leakwatch snapshot (field 'format' is not 'leakwatch-snapshot')", e.getMessage());
        SnapshotFormatException missing =
                assertThrows(SnapshotFormatException.class, () -> SnapshotCodec.decode("{\"schemaVersion\":1}"));
        assertEquals(e.getMessage(), missing.getMessage());
    }

    @Test
    void garbageIsRefusedWithAOneLineReason() {
        SnapshotFormatException notJson =
                assertThrows(SnapshotFormatException.class, () -> SnapshotCodec.decode("\u001f\u008b garbage"));
        assertTrue(notJson.getMessage().startsWith("not a JSON record: "), notJson.getMessage());
        SnapshotFormatException truncated = assertThrows(
                SnapshotFormatException.class,
                () -> SnapshotCodec.decode(encode(withGauges()).substring(0, 60)));
        assertTrue(truncated.getMessage().startsWith("not a JSON record: "), truncated.getMessage());
        for (String notAnObject : List.of("[1, 2]", "42", "\"text\"", "")) {
            SnapshotFormatException e =
                    assertThrows(SnapshotFormatException.class, () -> SnapshotCodec.decode(notAnObject));
            assertEquals("not a JSON object", e.getMessage(), "for '" + notAnObject + "'");
        }
        for (SnapshotFormatException e : List.of(notJson, truncated)) {
            assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        }
    }

    @Test
    void missingOrBrokenFieldsNameTheField() {
        String valid = encode(withoutGauges()).strip();
        assertMalformed(
                valid.replace("\"time\":1795600060000,", ""), "malformed snapshot record: missing field 'time'");
        assertMalformed(
                valid.replace("\"sequence\":0,", "\"sequence\":\"first\","),
                "malformed snapshot record: field 'sequence' is not a number");
        assertMalformed(
                valid.replace("\"kind\":\"all\"", "\"kind\":\"some\""),
                "malformed snapshot record: unknown histogram kind 'some'");
        assertMalformed(
                valid.replace("[\"byte[]\",3,48]", "[\"byte[]\",3]"),
                "malformed snapshot record: histogram row 0 is not [className, instances, bytes]");
        assertMalformed(
                valid.replaceAll(",\"histogram\":\\{.*\\}\\}$", "}"),
                "malformed snapshot record: missing field 'histogram'");
        String owned = encode(withAgentOwned()).strip();
        assertMalformed(
                owned.replace("[\"byte[]\",3,216]", "[\"byte[]\",\"three\",216]"),
                "malformed snapshot record: agentOwned row 2 is not [className, instances, bytes]");
        assertMalformed(
                owned.replaceAll("\"agentOwned\":\\[.*\\]\\]\\}$", "\"agentOwned\":{}}"),
                "malformed snapshot record: field 'agentOwned' is not an array");
        // Rows given as an object's fields: none is at an index (data binding's tree answered null, and a
        // NullPointerException named the tree's class).
        assertMalformed(
                valid.replaceAll("\"classes\":\\[.*\\]\\]\\}", "\"classes\":{\"byte[]\":[\"byte[]\",3,48]}}"),
                "malformed snapshot record: histogram row 0 is not [className, instances, bytes]");
    }

    /** What a reader must not skip as damage: a record a newer build wrote, and only that. */
    @Test
    void aRecordOfANewerVersionIsToldApartFromDamage() {
        String line = encode(withGauges()).strip();
        String newer = line.replace("\"schemaVersion\":5,", "\"schemaVersion\":6,");
        assertTrue(SnapshotFormat.isNewerVersion(newer));
        assertFalse(SnapshotFormat.isNewerVersion(line));
        assertFalse(SnapshotFormat.isNewerVersion(newer.substring(0, newer.length() - 1)), "damaged: not JSON");
        assertFalse(SnapshotFormat.isNewerVersion(newer.replace("leakwatch-snapshot", "heapwatch-snapshot")));
        assertFalse(SnapshotFormat.isNewerVersion(""));
        assertFalse(SnapshotFormat.isNewerVersion("[6]"));
    }

    /**
     * Histogram rows are streamed only in the shape the codec writes; any other shape the tree decoder accepted still
     * decodes to the same snapshot, from text and from bytes.
     */
    @Test
    void aHistogramInAnotherShapeDecodesAsBefore() throws Exception {
        Snapshot snapshot = withGauges();
        String line = encode(snapshot).strip();
        String extraColumn = line.replace("[\"byte[]\",12993,1045504]", "[\"byte[]\",12993,1045504,\"extra\"]");
        String kindLast = line.replace("{\"kind\":\"live\",\"classes\":[", "{\"classes\":[")
                .replace("]]},\"gauges\"", "]],\"kind\":\"live\"},\"gauges\"");
        assertTrue(kindLast.contains("\"kind\":\"live\"},\"gauges\""), kindLast);
        for (String variant : List.of(line, extraColumn, kindLast)) {
            assertEquals(snapshot, SnapshotCodec.decode(variant));
            byte[] utf8 = ("  " + variant + "  ").getBytes(StandardCharsets.UTF_8);
            assertEquals(snapshot, SnapshotCodec.decode(utf8, 2, utf8.length - 4));
        }
    }

    /** Issue 11: values like these exited 0 with a report of a class "growing by 270660.8 GB per minute". */
    @Test
    void valuesNoJvmProducesAreRefusedNamingTheField() {
        String valid = encode(withGauges()).strip();
        String row = "[\"byte[]\",12993,1045504]";
        String maxAmount = " to " + SnapshotCodec.MAX_AMOUNT;
        assertMalformed(
                valid.replace(row, "[\"byte[]\",-3,1045504]"),
                "malformed snapshot record: histogram row 0 (byte[]) has instances -3, not a whole number from 0 to 2^50");
        assertMalformed(
                valid.replace(row, "[\"byte[]\",12993,9223372036854775807]"),
                "malformed snapshot record: histogram row 0 (byte[]) has bytes 9223372036854775807, not a whole number "
                        + "from 0 to 2^50");
        assertMalformed(
                valid.replace(row, "[\"byte[]\",12993,1e30]"),
                "malformed snapshot record: histogram row 0 (byte[]) has bytes 1.0E30, not a whole number from 0 to 2^50");
        assertMalformed(
                valid.replace("\"time\":1795600000000,", "\"time\":9223372036854775807,"),
                "malformed snapshot record: field 'time' is 9223372036854775807, not a time between 2000 and 2200");
        assertMalformed(
                valid.replace("\"time\":1795600000000,", "\"time\":-5,"),
                "malformed snapshot record: field 'time' is -5, not a time between 2000 and 2200");
        assertMalformed(
                valid.replace("\"uptimeMs\":65000,", "\"uptimeMs\":-9,"),
                "malformed snapshot record: field 'uptimeMs' is -9, not a whole number from -1 to "
                        + (SnapshotCodec.LATEST_TIME - SnapshotCodec.EARLIEST_TIME));
        assertMalformed(
                valid.replace("\"heap\":{\"used\":64000000,", "\"heap\":{\"used\":-7,"),
                "malformed snapshot record: field 'used' is -7, not a whole number from -1" + maxAmount);
        assertMalformed(
                valid.replace("\"sequence\":7,", "\"sequence\":-1,"),
                "malformed snapshot record: field 'sequence' is -1, not a whole number from 0" + maxAmount);
    }

    private static void assertMalformed(String line, String expectedMessage) {
        SnapshotFormatException e = assertThrows(SnapshotFormatException.class, () -> SnapshotCodec.decode(line), line);
        assertEquals(expectedMessage, e.getMessage());
    }

    @Test
    void segmentFileNames() {
        assertEquals("snapshots-000042.jsonl.gz", SnapshotFormat.segmentFileName(42));
        assertEquals(42, SnapshotFormat.segmentIndex("snapshots-000042.jsonl.gz"));
        assertEquals(1_234_567, SnapshotFormat.segmentIndex("snapshots-1234567.jsonl"));
        assertEquals(-1, SnapshotFormat.segmentIndex("snapshots-42.jsonl.gz"));
        assertEquals(-1, SnapshotFormat.segmentIndex("leak-report.json"));
        // Issue 11: a number past Long.MAX_VALUE threw NumberFormatException, an "internal error" for a file name.
        assertEquals(-1, SnapshotFormat.segmentIndex("snapshots-99999999999999999999.jsonl.gz"));
        assertTrue(SnapshotFormat.isSegmentShaped("snapshots-99999999999999999999.jsonl.gz"));
        assertEquals(999_999_999_999_999_999L, SnapshotFormat.segmentIndex("snapshots-999999999999999999.jsonl.gz"));
        assertEquals(7, SnapshotFormat.segmentIndex("snapshots-0000000000000000000000007.jsonl"));
        assertTrue(SnapshotFormat.isCompressed(SnapshotFormat.segmentFileName(0)));
    }
}
