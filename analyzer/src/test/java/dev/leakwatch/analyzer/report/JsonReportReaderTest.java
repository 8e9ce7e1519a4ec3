package dev.leakwatch.analyzer.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.leakwatch.format.model.AllocationSampler;
import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.format.report.ReportJson;
import dev.leakwatch.format.report.Severity;
import dev.leakwatch.format.report.Verdict;
import dev.leakwatch.format.segment.Mutations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@code JsonReportReader} (through {@link ReportJson#read}) against the data binding that read reports before it ({@link #DATA_BINDING}, configured as
 * {@code JsonReportWriter} configured it): for every report tried, both read an equal report, or both refuse it. The
 * reports tried are the writer's own with every value replaced by values of every JSON type and of the awkward
 * shapes data binding converts ({@link #VALUES}), every field left out, repeated or joined by an unknown one, and
 * damaged copies of the golden report.
 */
class JsonReportReaderTest {
    /** Data binding as {@code JsonReportWriter} used it to read reports, up to the commit that replaced it. */
    private static final ObjectMapper DATA_BINDING = JsonMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .addModule(new SimpleModule("leakwatch-report")
                    .addDeserializer(AllocationSampler.class, new SamplerByWireName())
                    .addDeserializer(
                            Verdict.class,
                            new ByWireName<>(Verdict.class, Verdict::fromWireName, "not a known verdict"))
                    .addDeserializer(
                            Severity.class,
                            new ByWireName<>(Severity.class, Severity::fromWireName, "not a known severity")))
            .build();

    private static final ObjectMapper TREE = new ObjectMapper();
    private static final List<String> VALUES = List.of(
            "null",
            "true",
            "false",
            "0",
            "-0",
            "1",
            "2",
            "3",
            "-1",
            "7",
            "2147483647",
            "2147483648",
            "-2147483649",
            "9223372036854775807",
            "9223372036854775808",
            "1.9",
            "-1.9",
            "1e10",
            "1e400",
            "2.5e9",
            "1E0",
            "0.5",
            "\"12\"",
            "\" 12 \"",
            "\"1.5\"",
            "\"abc\"",
            "\"\"",
            "\" \"",
            "\"null\"",
            "\" null \"",
            "\"NaN\"",
            "\" NaN \"",
            "\"Infinity\"",
            "\"INF\"",
            "\" INF \"",
            "\"-INF\"",
            "\"+Infinity\"",
            "\"+INF\"",
            "\" Infinity\"",
            "\"1.5d\"",
            "\"0x1p3\"",
            "\".5\"",
            "\"true\"",
            "\"TRUE\"",
            "\"True\"",
            "\"tRue\"",
            "\" false \"",
            "\"0x1F\"",
            "\"1e3\"",
            "\"+5\"",
            "\"-0\"",
            "\"02\"",
            "\"2\"",
            "\"3\"",
            "\"9999999999\"",
            "\"99999999999999999999\"",
            "\"ok\"",
            "\" ok \"",
            "\"Paused\"",
            "\"refused\"",
            "\"jvm\"",
            "\"JVM\"",
            "\" jvm\"",
            "\"instrumentation\"",
            "\"\u0131nstrumentation\"",
            "[]",
            "[1]",
            "[\"x\"]",
            "[null]",
            "[{}]",
            "[[]]",
            "{}",
            "{\"a\":1}",
            "{\"all\":\"3\"}",
            "{\"all\":null}",
            "{\"all\":1.5}",
            "{\"all\":true}");

    @Test
    void theWritersReportsReadBackAsWritten() throws Exception {
        for (LeakReport report : reports()) {
            assertEquals(report, ReportJson.read(ReportJson.write(report)));
        }
    }

    @Test
    void anAllocationSiteOfSchema4ReadsAsTheOnePathItWas() throws Exception {
        JsonNode root = TREE.readTree(ReportJson.write(JsonReportWriterTest.handMade()));
        for (JsonNode site : root.path("suspects").get(0).path("allocationSites")) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) site).remove(List.of("allocatedTypes", "paths"));
        }
        String schema4 = TREE.writeValueAsString(root);
        assertFalse(schema4.contains("allocatedTypes") || schema4.contains("\"paths\""), schema4);
        var sites = ReportJson.read(schema4).suspects().get(0).allocationSites();
        assertEquals(2, sites.size());
        for (var site : sites) {
            assertEquals(List.of(site.allocatedType()), site.allocatedTypes());
            assertEquals(1, site.paths());
        }
    }

    @Test
    void everyValueOfEveryFieldIsReadOrRefusedAsDataBindingDid() throws Exception {
        int refused = 0;
        int compared = 0;
        // The golden report has every section but allocation tracking and recording; the hand-made one has those.
        Set<String> tried = new HashSet<>();
        for (LeakReport report : List.of(GoldenReportTest.goldenReport(), JsonReportWriterTest.handMade())) {
            JsonNode root = TREE.readTree(ReportJson.write(report));
            for (List<Object> path : paths(root)) {
                if (!tried.add(path.toString().replaceAll("\\d+", "#"))) {
                    continue; // another element of the same list: read by the same code
                }
                for (String value : VALUES) {
                    refused += compare(json(root, path, value, null), "value " + value + " at " + path);
                    compared++;
                }
            }
        }
        assertTrue(refused > 0 && refused < compared, refused + " of " + compared + " refused");
    }

    @Test
    void fieldsLeftOutRepeatedOrUnknownAreReadOrRefusedAsDataBindingDid() throws Exception {
        for (LeakReport report : reports()) {
            JsonNode root = TREE.readTree(ReportJson.write(report));
            for (List<Object> path : paths(root)) {
                if (path.isEmpty() || !(path.get(path.size() - 1) instanceof String)) {
                    continue;
                }
                compare(json(root, path, null, null), "without " + path);
                String field = (String) path.get(path.size() - 1);
                JsonNode value = at(root, path);
                List<Object> object = path.subList(0, path.size() - 1);
                compare(json(root, object, null, new Extra(field, value.toString(), true)), field + " again, first");
                compare(json(root, object, null, new Extra(field, value.toString(), false)), field + " again, last");
                compare(json(root, object, null, new Extra(field, "null", true)), field + " null, then itself");
                compare(json(root, object, null, new Extra("unknown", "1", true)), "unknown field first in " + object);
                compare(json(root, object, null, new Extra("unknown", "1", false)), "unknown field last in " + object);
                compare(json(root, object, null, new Extra(field.toUpperCase(), "1", false)), field + " in upper case");
            }
        }
    }

    @Test
    void documentsThatAreNoReportAreReadOrRefusedAsDataBindingDid() throws Exception {
        String golden = ReportJson.write(GoldenReportTest.goldenReport());
        for (String json : List.of(
                "",
                " ",
                "null",
                " null ",
                "[]",
                "[null]",
                "{}",
                "5",
                "\"\"",
                "\"x\"",
                "true",
                "{",
                "}",
                "nul",
                golden + "garbage",
                golden + "}",
                golden.replaceFirst("\\{", "{\"a\":"),
                golden.substring(0, golden.length() / 2),
                "\u001f\u008b garbage")) {
            compare(json, "document " + json);
        }
        assertNull(ReportJson.read("null"), "data binding read null as no report");
    }

    @Test
    void damagedReportsAreReadOrRefusedAsDataBindingDid() throws Exception {
        byte[] golden = ReportJson.write(GoldenReportTest.goldenReport()).getBytes(StandardCharsets.UTF_8);
        Mutations mutations = new Mutations(new SplittableRandom(Mutations.SEED));
        for (int i = 0; i < 20_000; i++) {
            Mutations.Mutant mutant = mutations.any(golden, List.of(golden));
            compare(
                    new String(mutant.bytes(), StandardCharsets.UTF_8),
                    "input " + i + " (seed " + Mutations.SEED + "): " + mutant.description());
        }
    }

    @Test
    void aRefusalSaysWhereAndWhy() {
        String json =
                ReportJson.write(GoldenReportTest.goldenReport()).replace("\"rank\" : 1,", "\"rank\" : \"first\",");
        JsonProcessingException e = assertThrows(JsonProcessingException.class, () -> ReportJson.read(json));
        assertEquals(
                "Cannot deserialize value of type `int` from String \"first\": not a valid `int` value",
                e.getOriginalMessage());
        assertTrue(e.getLocation().getLineNr() > 1, e.getMessage());
    }

    private static List<LeakReport> reports() {
        return List.of(
                GoldenReportTest.goldenReport(),
                JsonReportWriterTest.handMade(),
                JsonReportWriterTest.sampledByTheJvm(JsonReportWriterTest.handMade()));
    }

    /** 1 when both refused; fails the test when they differ. */
    private static int compare(String json, String what) {
        Object expected = outcome(() -> DATA_BINDING.readValue(json, LeakReport.class));
        Object actual = outcome(() -> ReportJson.read(json));
        if (!Objects.equals(expected, actual)) {
            fail(what + ": data binding " + abbreviated(expected) + ", but " + abbreviated(actual));
        }
        return expected == REFUSED ? 1 : 0;
    }

    private static String abbreviated(Object outcome) {
        String text = String.valueOf(outcome);
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }

    private interface Read {
        LeakReport read() throws IOException;
    }

    private static final String REFUSED = "refused";

    /** The report read, null for none, {@link #REFUSED}, or what else was thrown. */
    private static Object outcome(Read read) {
        try {
            return read.read();
        } catch (JsonProcessingException e) {
            return REFUSED;
        } catch (IOException | RuntimeException e) {
            return "failed with " + e;
        }
    }

    /** Every value's path: field names and array indexes from the root, the root's own path empty. */
    private static List<List<Object>> paths(JsonNode root) {
        List<List<Object>> paths = new ArrayList<>();
        collect(root, new ArrayList<>(), paths);
        return paths;
    }

    private static void collect(JsonNode node, List<Object> at, List<List<Object>> paths) {
        paths.add(List.copyOf(at));
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                at.add(field.getKey());
                collect(field.getValue(), at, paths);
                at.remove(at.size() - 1);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                at.add(i);
                collect(node.get(i), at, paths);
                at.remove(at.size() - 1);
            }
        }
    }

    private static JsonNode at(JsonNode root, List<Object> path) {
        JsonNode node = root;
        for (Object step : path) {
            node = step instanceof String field ? node.get(field) : node.get((Integer) step);
        }
        return node;
    }

    /** A field added to an object, first or last: JSON text can repeat a name, which a tree cannot hold. */
    private record Extra(String name, String value, boolean first) {}

    /**
     * The tree as JSON text, the value at {@code path} replaced by {@code value} (left out when null), and with
     * {@code extra} added to the object at {@code path} when given.
     */
    private static String json(JsonNode root, List<Object> path, String value, Extra extra) {
        StringBuilder out = new StringBuilder();
        write(root, new ArrayList<>(), path, value, extra, out);
        return out.toString();
    }

    private static void write(
            JsonNode node, List<Object> at, List<Object> path, String value, Extra extra, StringBuilder out) {
        if (extra == null && at.equals(path)) {
            out.append(value);
            return;
        }
        if (node.isObject()) {
            List<String> members = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                at.add(field.getKey());
                if (extra != null || value != null || !at.equals(path)) {
                    StringBuilder member = new StringBuilder(quoted(field.getKey())).append(':');
                    write(field.getValue(), at, path, value, extra, member);
                    members.add(member.toString());
                }
                at.remove(at.size() - 1);
            }
            if (extra != null && at.equals(path)) {
                String member = quoted(extra.name()) + ':' + extra.value();
                members.add(extra.first() ? 0 : members.size(), member);
            }
            out.append('{').append(String.join(",", members)).append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                at.add(i);
                out.append(i > 0 ? "," : "");
                write(node.get(i), at, path, value, extra, out);
                at.remove(at.size() - 1);
            }
            out.append(']');
        } else {
            out.append(node);
        }
    }

    private static String quoted(String name) {
        return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(name)) + '"';
    }

    /** The sampler deserializer {@code JsonReportWriter} registered: by wire name, instrumentation when absent. */
    private static final class SamplerByWireName extends StdDeserializer<AllocationSampler> {
        SamplerByWireName() {
            super(AllocationSampler.class);
        }

        @Override
        public AllocationSampler deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                return (AllocationSampler) context.handleUnexpectedToken(AllocationSampler.class, parser);
            }
            String name = parser.getText();
            return AllocationSampler.fromWireName(name)
                    .orElseThrow(() -> context.weirdStringException(
                            name, AllocationSampler.class, "not a known allocation sampler"));
        }

        @Override
        public AllocationSampler getAbsentValue(DeserializationContext context) {
            return AllocationSampler.INSTRUMENTATION;
        }
    }

    /** The enum deserializer {@code JsonReportWriter} registered for verdicts and severities: by wire name. */
    private static final class ByWireName<E extends Enum<E>> extends StdDeserializer<E> {
        private final Class<E> type;
        private final java.util.function.Function<String, java.util.Optional<E>> byName;
        private final String unknown;

        ByWireName(Class<E> type, java.util.function.Function<String, java.util.Optional<E>> byName, String unknown) {
            super(type);
            this.type = type;
            this.byName = byName;
            this.unknown = unknown;
        }

        @Override
        public E deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                return type.cast(context.handleUnexpectedToken(type, parser));
            }
            String name = parser.getText();
            return byName.apply(name).orElseThrow(() -> context.weirdStringException(name, type, unknown));
        }
    }
}
