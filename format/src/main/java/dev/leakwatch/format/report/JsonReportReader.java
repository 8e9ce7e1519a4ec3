package dev.leakwatch.format.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.NumberInput;
import dev.leakwatch.format.model.AllocationSampler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code leak-report.json} back into a {@link LeakReport} ({@link ReportJson#read}) with Jackson's
 * streaming parser, field for field into the report records.
 *
 * <p>It accepts and refuses what Jackson's data binding did when it read reports here (its default configuration,
 * enums in any case, samplers by wire name), so that the tools reading stored reports see no difference;
 * {@code JsonReportReaderTest} holds the two side by side. In short:
 * <ul>
 *   <li>A field the records do not have is refused. So is any field after an object has given every component of
 *       its record (data binding built the record at that point); before that, a repeated field's last value counts.
 *   <li>A field left out is null, 0 or false, except {@code sampler}: reports of schema 2 and older were all sampled
 *       by instrumentation. A list left out, or holding a null, is refused: the records copy their lists. Except an
 *       allocation site's {@code allocatedTypes} and {@code paths}, which schema 4 and older lack: such a site reads
 *       as the one path it was ({@link AllocationSite}'s constructor says so, for both readers).
 *   <li>Scalars convert as data binding converts them: a number from a string ({@code "12"}, trimmed), and an empty
 *       or blank string or {@code "null"} as no number (null, or 0 for a primitive); a number with a fraction cut to
 *       the whole number, if that fits; a number or boolean as its text where a string is expected; a whole number
 *       as a boolean (non-zero is true); an enum constant by its name in any case, or by its index.
 *   <li>Nothing after the report's object is read; {@code null} alone reads as no report.
 * </ul>
 */
final class JsonReportReader {
    private static final JsonFactory JSON = new JsonFactory();

    private JsonReportReader() {}

    static LeakReport read(String json) throws JsonProcessingException {
        if (json == null) {
            throw new IllegalArgumentException("argument \"content\" is null");
        }
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() == null) {
                throw refused(p, "No content to map due to end-of-input");
            }
            return report(p);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("reading a string fails only as JSON", e);
        }
    }

    // Each record: its components' defaults, then its fields in any order, then its constructor.

    private static LeakReport report(JsonParser p) throws IOException {
        if (isNull(p, LeakReport.class)) {
            return null;
        }
        int schemaVersion = 0;
        String generatedAt = null;
        String source = null;
        Verdict verdict = null;
        String summary = null;
        List<Suspect> suspects = null;
        List<Suspect> candidates = null;
        List<GaugeFinding> findings = null;
        HeapSummary heap = null;
        SnapshotSummary snapshots = null;
        AgentSummary agent = null;
        List<String> warnings = null;
        Fields fields = new Fields(p, LeakReport.class);
        for (String field = fields.next(); field != null; field = fields.next()) {
            switch (field) {
                case "schemaVersion" -> schemaVersion = intValue(p);
                case "generatedAt" -> generatedAt = string(p);
                case "source" -> source = string(p);
                case "verdict" -> verdict = verdict(p);
                case "summary" -> summary = string(p);
                case "suspects" -> suspects = list(p, JsonReportReader::suspect);
                case "candidates" -> candidates = list(p, JsonReportReader::suspect);
                case "findings" -> findings = list(p, JsonReportReader::finding);
                case "heap" -> heap = heap(p);
                case "snapshots" -> snapshots = snapshots(p);
                case "agent" -> agent = agent(p);
                case "warnings" -> warnings = list(p, JsonReportReader::string);
                default -> throw fields.unknown();
            }
        }
        try {
            return new LeakReport(
                    schemaVersion,
                    generatedAt,
                    source,
                    verdict,
                    summary,
                    suspects,
                    candidates,
                    findings,
                    heap,
                    snapshots,
                    agent,
                    warnings);
        } catch (RuntimeException e) {
            throw notConstructed(p, LeakReport.class, e);
        }
    }

    private static Suspect suspect(JsonParser p) throws IOException {
        if (isNull(p, Suspect.class)) {
            return null;
        }
        int rank = 0;
        String className = null;
        double confidence = 0;
        Severity severity = null;
        double growthBytesPerMinute = 0;
        double growthInstancesPerMinute = 0;
        long liveBytes = 0;
        long liveInstances = 0;
        String firstSeenGrowing = null;
        String summary = null;
        String explanation = null;
        Suspect.Evidence evidence = null;
        List<RelatedClass> relatedClasses = null;
        List<AllocationSite> allocationSites = null;
        Fields fields = new Fields(p, Suspect.class);
        for (String field = fields.next(); field != null; field = fields.next()) {
            switch (field) {
                case "rank" -> rank = intValue(p);
                case "className" -> className = string(p);
                case "confidence" -> confidence = doubleValue(p);
                case "severity" -> severity = severity(p);
                case "growthBytesPerMinute" -> growthBytesPerMinute = doubleValue(p);
                case "growthInstancesPerMinute" -> growthInstancesPerMinute = doubleValue(p);
                case "liveBytes" -> liveBytes = longValue(p);
                case "liveInstances" -> liveInstances = longValue(p);
                case "firstSeenGrowing" -> firstSeenGrowing = string(p);
                case "summary" -> summary = string(p);
                case "explanation" -> explanation = string(p);
                case "evidence" -> evidence = evidence(p);
                case "relatedClasses" -> relatedClasses = list(p, JsonReportReader::relatedClass);
                case "allocationSites" -> allocationSites = list(p, JsonReportReader::allocationSite);
                default -> throw fields.unknown();
            }
        }
        try {
            return new Suspect(
                    rank,
                    className,
                    confidence,
                    severity,
                    growthBytesPerMinute,
                    growthInstancesPerMinute,
                    liveBytes,
                    liveInstances,
                    firstSeenGrowing,
                    summary,
                    explanation,
                    evidence,
                    relatedClasses,
                    allocationSites);
        } catch (RuntimeException e) {
            throw notConstructed(p, Suspect.class, e);
        }
    }

    private static Suspect.Evidence evidence(JsonParser p) throws IOException {
        if (isNull(p, Suspect.Evidence.class)) {
            return null;
        }
        int points = 0;
        double windowMinutes = 0;
        double mannKendallZ = 0;
        double pValue = 0;
        double kendallTau = 0;
        double recentGrowthBytesPerMinute = 0;
        double growthPercentOfStart = 0;
        Fields fields = new Fields(p, Suspect.Evidence.class);
        for (String field = fields.next(); field != null; field = fields.next()) {
            switch (field) {
                case "points" -> points = intValue(p);
                case "windowMinutes" -> windowMinutes = doubleValue(p);
                case "mannKendallZ" -> mannKendallZ = doubleValue(p);
                case "pValue" -> pValue = doubleValue(p);
                case "kendallTau" -> kendallTau = doubleValue(p);
                case "recentGrowthBytesPerMinute" -> recentGrowthBytesPerMinute = doubleValue(p);
                case "growthPercentOfStart" -> growthPercentOfStart = doubleValue(p);
                default -> throw fields.unknown();
            }
        }
        return new Suspect.Evidence(
                points,
                windowMinutes,
                mannKendallZ,
                pValue,
                kendallTau,
                recentGrowthBytesPerMinute,
                growthPercentOfStart);
    }

    private static RelatedClass relatedClass(JsonParser p) throws IOException {
        if (isNull(p, RelatedClass.class)) {
            return null;
        }
        String className = null;
        double growthBytesPerMinute = 0;
        long liveBytes = 0;
        long liveInstances = 0;
        Fields fields = new Fields(p, RelatedClass.class);
        for (String field = fields.next(); field != null; field = fields.next()) {
            switch (field) {
                case "className" -> className = string(p);
                case "growthBytesPerMinute" -> growthBytesPerMinute = doubleValue(p);
                case "liveBytes" -> liveBytes = longValue(p);
                case "liveInstances" -> liveInstances = longValue(p);
                default -> throw fields.unknown();
            }
        }
        return new RelatedClass(className, growthBytesPerMinute, liveBytes, liveInstances);
    }

    private static AllocationSite allocationSite(JsonParser p) throws IOException {
        if (isNull(p, AllocationSite.class)) {
            return null;
        }
        List<String> frames = null;
        String allocatedType = null;
        List<String> allocatedTypes = null;
        int paths = 0;
        double share = 0;
        double growthBytesPerMinute = 0;
        long estimatedLiveBytes = 0;
        long liveSamples = 0;
        int distinctEpochs = 0;
        double oldestAgeSeconds = 0;
        int firstNonJdkFrame = 0;
        int firstApplicationFrame = 0;
        Fields fields = new Fields(p, AllocationSite.class);
        for (String field = fields.next(); field != null; field = fields.next()) {
            switch (field) {
                case "frames" -> frames = list(p, JsonReportReader::string);
                case "allocatedType" -> allocatedType = string(p);
                case "allocatedTypes" -> allocatedTypes = list(p, JsonReportReader::string);
                case "paths" -> paths = intValue(p);
                case "share" -> share = doubleValue(p);
                case "growthBytesPerMinute" -> growthBytesPerMinute = doubleValue(p);
                case "estimatedLiveBytes" -> estimatedLiveBytes = longValue(p);
                case "liveSamples" -> liveSamples = longValue(p);
                case "distinctEpochs" -> distinctEpochs = intValue(p);
                case "oldestAgeSeconds" -> oldestAgeSeconds = doubleValue(p);
                case "firstNonJdkFrame" -> firstNonJdkFrame = intValue(p);
                case "firstApplicationFrame" -> firstApplicationFrame = intValue(p);
                default -> throw fields.unknown();
            }
        }
        try {
            return new AllocationSite(
                    frames,
                    allocatedType,
                    allocatedTypes,
                    paths,
                    share,
                    growthBytesPerMinute,
                    estimatedLiveBytes,
                    liveSamples,
                    distinctEpochs,
                    oldestAgeSeconds,
                    firstNonJdkFrame,
                    firstApplicationFrame);
        } catch (RuntimeException e) {
            throw notConstructed(p, AllocationSite.class, e);
        }
    }

    private static GaugeFinding finding(JsonParser p) throws IOException {
        if (isNull(p, GaugeFinding.class)) {
            return null;
        }
        String kind = null;
        double confidence = 0;
        double growthPerMinute = 0;
        double current = 0;
        String unit = null;
        String summary = null;
        String explanation = null;
        Fields fields = new Fields(p, GaugeFinding.class);
        for (String field = fields.next(); field != null; field = fields.next()) {
            switch (field) {
                case "kind" -> kind = string(p);
                case "confidence" -> confidence = doubleValue(p);
                case "growthPerMinute" -> growthPerMinute = doubleValue(p);
                case "current" -> current = doubleValue(p);
                case "unit" -> unit = string(p);
                case "summary" -> summary = string(p);
                case "explanation" -> explanation = string(p);
                default -> throw fields.unknown();
            }
        }
        return new GaugeFinding(kind, confidence, growthPerMinute, current, unit, summary, explanation);
    }

    private static HeapSummary heap(JsonParser p) throws IOException {
        if (isNull(p, HeapSummary.class)) {
            return null;
        }
        String liveSetSource = null;
        long liveBytesNow = 0;
        long liveBytesAtStart = 0;
        long maxHeapBytes = 0;
        double growthBytesPerMinute = 0;
        double confidence = 0;
        boolean growing = false;
        Double minutesToExhaustion = null;
        String projectedExhaustionAt = null;
        String summary = null;
        Fields fields = new Fields(p, HeapSummary.class);
        for (String field = fields.next(); field != null; field = fields.next()) {
            switch (field) {
                case "liveSetSource" -> liveSetSource = string(p);
                case "liveBytesNow" -> liveBytesNow = longValue(p);
                case "liveBytesAtStart" -> liveBytesAtStart = longValue(p);
                case "maxHeapBytes" -> maxHeapBytes = longValue(p);
                case "growthBytesPerMinute" -> growthBytesPerMinute = doubleValue(p);
                case "confidence" -> confidence = doubleValue(p);
                case "growing" -> growing = booleanValue(p);
                case "minutesToExhaustion" -> minutesToExhaustion = boxedDouble(p);
                case "projectedExhaustionAt" -> projectedExhaustionAt = string(p);
                case "summary" -> summary = string(p);
                default -> throw fields.unknown();
            }
        }
        return new HeapSummary(
                liveSetSource,
                liveBytesNow,
                liveBytesAtStart,
                maxHeapBytes,
                growthBytesPerMinute,
                confidence,
                growing,
                minutesToExhaustion,
                projectedExhaustionAt,
                summary);
    }

    private static SnapshotSummary snapshots(JsonParser p) throws IOException {
        if (isNull(p, SnapshotSummary.class)) {
            return null;
        }
        int count = 0;
        long recordsRead = 0;
        long skippedRecords = 0;
        String first = null;
        String last = null;
        double spanSeconds = 0;
        Map<String, Integer> histogramKinds = null;
        double warmupSeconds = 0;
        String warmupRule = null;
        int analysedPoints = 0;
        Long pid = null;
        String jvm = null;
        Fields fields = new Fields(p, SnapshotSummary.class);
        for (String field = fields.next(); field != null; field = fields.next()) {
            switch (field) {
                case "count" -> count = intValue(p);
                case "recordsRead" -> recordsRead = longValue(p);
                case "skippedRecords" -> skippedRecords = longValue(p);
                case "first" -> first = string(p);
                case "last" -> last = string(p);
                case "spanSeconds" -> spanSeconds = doubleValue(p);
                case "histogramKinds" -> histogramKinds = counts(p);
                case "warmupSeconds" -> warmupSeconds = doubleValue(p);
                case "warmupRule" -> warmupRule = string(p);
                case "analysedPoints" -> analysedPoints = intValue(p);
                case "pid" -> pid = boxedLong(p);
                case "jvm" -> jvm = string(p);
                default -> throw fields.unknown();
            }
        }
        return new SnapshotSummary(
                count,
                recordsRead,
                skippedRecords,
                first,
                last,
                spanSeconds,
                histogramKinds,
                warmupSeconds,
                warmupRule,
                analysedPoints,
                pid,
                jvm);
    }

    private static AgentSummary agent(JsonParser p) throws IOException {
        if (isNull(p, AgentSummary.class)) {
            return null;
        }
        double snapshotSecondsTotal = 0;
        double overheadPercent = 0;
        long lastSnapshotMillis = 0;
        String histogramMode = null;
        Long suppressedErrors = null;
        String note = null;
        AgentSummary.AllocationTracking allocationTracking = null;
        AgentSummary.Recording recording = null;
        Fields fields = new Fields(p, AgentSummary.class);
        for (String field = fields.next(); field != null; field = fields.next()) {
            switch (field) {
                case "snapshotSecondsTotal" -> snapshotSecondsTotal = doubleValue(p);
                case "overheadPercent" -> overheadPercent = doubleValue(p);
                case "lastSnapshotMillis" -> lastSnapshotMillis = longValue(p);
                case "histogramMode" -> histogramMode = string(p);
                case "suppressedErrors" -> suppressedErrors = boxedLong(p);
                case "note" -> note = string(p);
                case "allocationTracking" -> allocationTracking = allocationTracking(p);
                case "recording" -> recording = recording(p);
                default -> throw fields.unknown();
            }
        }
        return new AgentSummary(
                snapshotSecondsTotal,
                overheadPercent,
                lastSnapshotMillis,
                histogramMode,
                suppressedErrors,
                note,
                allocationTracking,
                recording);
    }

    private static AgentSummary.AllocationTracking allocationTracking(JsonParser p) throws IOException {
        if (isNull(p, AgentSummary.AllocationTracking.class)) {
            return null;
        }
        AllocationSampler sampler = AllocationSampler.INSTRUMENTATION; // schema 2 and older: nothing else existed
        long samplingInterval = 0;
        long trackedSamples = 0;
        long capacity = 0;
        long evictedSamples = 0;
        Long instrumentedClasses = null;
        Long instrumentedSites = null;
        Long failedClasses = null;
        Fields fields = new Fields(p, AgentSummary.AllocationTracking.class);
        for (String field = fields.next(); field != null; field = fields.next()) {
            switch (field) {
                case "sampler" -> sampler = sampler(p);
                case "samplingInterval" -> samplingInterval = longValue(p);
                case "trackedSamples" -> trackedSamples = longValue(p);
                case "capacity" -> capacity = longValue(p);
                case "evictedSamples" -> evictedSamples = longValue(p);
                case "instrumentedClasses" -> instrumentedClasses = boxedLong(p);
                case "instrumentedSites" -> instrumentedSites = boxedLong(p);
                case "failedClasses" -> failedClasses = boxedLong(p);
                default -> throw fields.unknown();
            }
        }
        return new AgentSummary.AllocationTracking(
                sampler,
                samplingInterval,
                trackedSamples,
                capacity,
                evictedSamples,
                instrumentedClasses,
                instrumentedSites,
                failedClasses);
    }

    private static AgentSummary.Recording recording(JsonParser p) throws IOException {
        if (isNull(p, AgentSummary.Recording.class)) {
            return null;
        }
        long snapshotsTaken = 0;
        long snapshotsSaved = 0;
        AgentSummary.Writing writing = null;
        String problem = null;
        Fields fields = new Fields(p, AgentSummary.Recording.class);
        for (String field = fields.next(); field != null; field = fields.next()) {
            switch (field) {
                case "snapshotsTaken" -> snapshotsTaken = longValue(p);
                case "snapshotsSaved" -> snapshotsSaved = longValue(p);
                case "writing" -> writing = writing(p);
                case "problem" -> problem = string(p);
                default -> throw fields.unknown();
            }
        }
        return new AgentSummary.Recording(snapshotsTaken, snapshotsSaved, writing, problem);
    }

    /** With the parser on a value to read as a record: true for null, false for an object; refused otherwise. */
    private static boolean isNull(JsonParser p, Class<?> record) throws JsonProcessingException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return true;
        }
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw mismatch(p, record);
        }
        return false;
    }

    /**
     * The fields of one JSON object read into a record: the names in order, each with the parser on its value. A
     * name after the object has given every component is refused: data binding built the record once it had them
     * all, and had nowhere to put more.
     */
    private static final class Fields {
        private final JsonParser p;
        private final Class<?> record;
        private final int components;
        private final Set<String> given = new HashSet<>();
        private String name;

        Fields(JsonParser p, Class<? extends Record> record) {
            this.p = p;
            this.record = record;
            this.components = record.getRecordComponents().length;
        }

        /** The next field's name, the parser on its value; null at the object's end. */
        String next() throws IOException {
            if (p.nextToken() == JsonToken.END_OBJECT) {
                return null;
            }
            name = p.currentName();
            if (given.size() == components) {
                throw refused(p, "Field \"" + name + "\" after every field of `" + record.getName() + "` was given");
            }
            given.add(name);
            p.nextToken();
            return name;
        }

        JsonProcessingException unknown() {
            return refused(
                    p, "Unrecognized field \"" + name + "\" (class " + record.getName() + "), not marked as ignorable");
        }
    }

    @FunctionalInterface
    private interface ValueReader<T> {
        T read(JsonParser p) throws IOException;
    }

    /** A list, or null; refused when not an array. */
    private static <T> List<T> list(JsonParser p, ValueReader<T> element) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw mismatch(p, List.class);
        }
        List<T> list = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            list.add(element.read(p));
        }
        return list;
    }

    /** {@code histogramKinds}: counts by name, the last of a repeated name counting. */
    private static Map<String, Integer> counts(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw mismatch(p, Map.class);
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        while (p.nextToken() != JsonToken.END_OBJECT) {
            String name = p.currentName();
            p.nextToken();
            counts.put(name, boxedInteger(p));
        }
        return counts;
    }

    private static String string(JsonParser p) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token.isScalarValue()) {
            return p.getValueAsString(); // a number as written, true or false
        }
        throw mismatch(p, String.class);
    }

    private static int intValue(JsonParser p) throws IOException {
        Integer value = integer(p, int.class);
        return value == null ? 0 : value;
    }

    private static Integer boxedInteger(JsonParser p) throws IOException {
        return integer(p, Integer.class);
    }

    private static Integer integer(JsonParser p, Class<?> type) throws IOException {
        switch (p.currentToken()) {
            case VALUE_NUMBER_INT:
                return p.getIntValue();
            case VALUE_NUMBER_FLOAT:
                return p.getValueAsInt(); // the whole part, refused beyond an int
            case VALUE_NULL:
                return null;
            case VALUE_STRING:
                String text = nonBlankText(p);
                if (text == null) {
                    return null;
                }
                try {
                    if (text.length() > 9) {
                        p.streamReadConstraints().validateIntegerLength(text.length());
                        long value = NumberInput.parseLong(text);
                        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                            throw weird(p, type, text, "Overflow: numeric value out of range of int");
                        }
                        return (int) value;
                    }
                    return NumberInput.parseInt(text);
                } catch (IllegalArgumentException e) {
                    throw weird(p, type, text, "not a valid `int` value");
                }
            default:
                throw mismatch(p, type);
        }
    }

    private static long longValue(JsonParser p) throws IOException {
        Long value = boxedLong(p);
        return value == null ? 0 : value;
    }

    private static Long boxedLong(JsonParser p) throws IOException {
        switch (p.currentToken()) {
            case VALUE_NUMBER_INT:
                return p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return p.getValueAsLong(); // the whole part, refused beyond a long
            case VALUE_NULL:
                return null;
            case VALUE_STRING:
                String text = nonBlankText(p);
                if (text == null) {
                    return null;
                }
                p.streamReadConstraints().validateIntegerLength(text.length());
                try {
                    return NumberInput.parseLong(text);
                } catch (IllegalArgumentException e) {
                    throw weird(p, Long.class, text, "not a valid `long` value");
                }
            default:
                throw mismatch(p, Long.class);
        }
    }

    private static double doubleValue(JsonParser p) throws IOException {
        switch (p.currentToken()) {
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_NULL:
                return 0;
            case VALUE_STRING:
                String text = p.getText();
                Double special = specialDouble(text);
                if (special != null) {
                    return special;
                }
                text = nonBlankText(p);
                if (text == null) {
                    return 0;
                }
                try {
                    return NumberInput.parseDouble(text, false);
                } catch (IllegalArgumentException e) {
                    throw weird(p, double.class, text, "not a valid `double` value (as String to convert)");
                }
            default:
                throw mismatch(p, double.class);
        }
    }

    /** {@code minutesToExhaustion}: as {@link #doubleValue}, but the text must look like a JSON number. */
    private static Double boxedDouble(JsonParser p) throws IOException {
        switch (p.currentToken()) {
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_NULL:
                return null;
            case VALUE_STRING:
                String text = p.getText();
                Double special = specialDouble(text);
                if (special != null) {
                    return special;
                }
                text = nonBlankText(p);
                if (text == null) {
                    return null;
                }
                if (NumberInput.looksLikeValidNumber(text)) {
                    p.streamReadConstraints().validateFPLength(text.length());
                    try {
                        return NumberInput.parseDouble(text, false);
                    } catch (IllegalArgumentException e) {
                        // refused below
                    }
                }
                throw weird(p, Double.class, text, "not a valid `Double` value");
            default:
                throw mismatch(p, Double.class);
        }
    }

    private static Double specialDouble(String text) {
        return switch (text) {
            case "Infinity", "+Infinity", "INF", "+INF" -> Double.POSITIVE_INFINITY;
            case "-Infinity", "-INF" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> null;
        };
    }

    private static boolean booleanValue(JsonParser p) throws IOException {
        switch (p.currentToken()) {
            case VALUE_TRUE:
                return true;
            case VALUE_FALSE:
            case VALUE_NULL:
                return false;
            case VALUE_NUMBER_INT:
                // The number's text where it is beyond an int: JSON numbers have no white space or leading zeros.
                return p.getNumberType() == JsonParser.NumberType.INT
                        ? p.getIntValue() != 0
                        : !p.getText().equals("0");
            case VALUE_STRING:
                String text = nonBlankText(p);
                if (text == null) {
                    return false;
                }
                switch (text) {
                    case "true", "True", "TRUE":
                        return true;
                    case "false", "False", "FALSE":
                        return false;
                    default:
                        throw weird(p, boolean.class, text, "only \"true\" or \"false\" recognized");
                }
            default:
                throw mismatch(p, boolean.class);
        }
    }

    /**
     * A string's text to convert to a number or boolean, trimmed; null for what data binding read as null: an empty
     * or blank string, and {@code "null"}.
     */
    private static String nonBlankText(JsonParser p) throws IOException {
        String text = p.getText();
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > ' ') {
                String trimmed = text.trim();
                return trimmed.equals("null") ? null : trimmed;
            }
        }
        return null;
    }

    /** By the name the writer puts out ({@code paused}), any other case of it, or the constant's index. */
    private static AgentSummary.Writing writing(JsonParser p) throws IOException {
        AgentSummary.Writing[] constants = AgentSummary.Writing.values();
        switch (p.currentToken()) {
            case VALUE_NULL:
                return null;
            case VALUE_NUMBER_INT:
                int index = p.getIntValue();
                if (index >= 0 && index < constants.length) {
                    return constants[index];
                }
                throw weird(p, AgentSummary.Writing.class, p.getText(), "index value outside legal index range");
            case VALUE_STRING:
                String text = p.getText();
                String name = text.trim();
                for (AgentSummary.Writing writing : constants) {
                    if (writing.name().equals(text) || writing.name().equals(name)) {
                        return writing;
                    }
                }
                for (AgentSummary.Writing writing : constants) {
                    if (!name.isEmpty() && writing.name().equalsIgnoreCase(name)) {
                        return writing;
                    }
                }
                // An index as a string, without leading zeros.
                if (!name.isEmpty()
                        && name.charAt(0) >= '0'
                        && name.charAt(0) <= '9'
                        && !(name.charAt(0) == '0' && name.length() > 1)) {
                    try {
                        int stringIndex = Integer.parseInt(name);
                        if (stringIndex < constants.length) {
                            return constants[stringIndex];
                        }
                    } catch (IllegalArgumentException e) {
                        // refused below
                    }
                }
                throw weird(
                        p,
                        AgentSummary.Writing.class,
                        text,
                        "not one of the values accepted for Enum class: "
                                + List.of(constants).toString().toLowerCase(Locale.ROOT));
            default:
                throw mismatch(p, AgentSummary.Writing.class);
        }
    }

    /** By its wire name ({@code jvm}), not the enum constant's name. */
    private static AllocationSampler sampler(JsonParser p) throws IOException {
        return byWireName(
                p, AllocationSampler.class, AllocationSampler::fromWireName, "not a known allocation sampler");
    }

    private static Verdict verdict(JsonParser p) throws IOException {
        return byWireName(p, Verdict.class, Verdict::fromWireName, "not a known verdict");
    }

    private static Severity severity(JsonParser p) throws IOException {
        return byWireName(p, Severity.class, Severity::fromWireName, "not a known severity");
    }

    /**
     * An enum by the wire name the writer puts out ({@code leak-suspected}), not by the constant's name; an unknown name
     * is refused like any other damage ({@code ReportReadBackFuzzTest}).
     */
    private static <E extends Enum<E>> E byWireName(
            JsonParser p,
            Class<E> type,
            java.util.function.Function<String, java.util.Optional<E>> byName,
            String unknown)
            throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw mismatch(p, type);
        }
        String name = p.getText();
        return byName.apply(name).orElseThrow(() -> weird(p, type, name, unknown));
    }

    private static JsonProcessingException mismatch(JsonParser p, Class<?> type) {
        return refused(p, "Cannot deserialize value of type `" + type.getName() + "` from " + p.currentToken());
    }

    private static JsonProcessingException weird(JsonParser p, Class<?> type, String text, String why) {
        return refused(
                p, "Cannot deserialize value of type `" + type.getName() + "` from String \"" + text + "\": " + why);
    }

    private static JsonProcessingException notConstructed(JsonParser p, Class<?> type, RuntimeException problem) {
        return new RefusedReportException(
                "Cannot construct instance of `" + type.getName() + "`, problem: " + problem,
                p.currentTokenLocation(),
                problem);
    }

    private static JsonProcessingException refused(JsonParser p, String message) {
        return new RefusedReportException(message, p.currentTokenLocation(), null);
    }

    /** What does not read as a report; a {@link JsonProcessingException}, the one failure {@code parse} documents. */
    static final class RefusedReportException extends JsonProcessingException {
        private static final long serialVersionUID = 1L;

        RefusedReportException(String message, JsonLocation location, Throwable cause) {
            super(message, location, cause);
        }
    }
}
