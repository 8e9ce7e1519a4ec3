package dev.leakwatch.format.report;

import static dev.leakwatch.format.report.EnumConversions.severity;
import static dev.leakwatch.format.report.RecordFields.isNull;
import static dev.leakwatch.format.report.RefusedReportException.notConstructed;
import static dev.leakwatch.format.report.ScalarConversions.boxedDouble;
import static dev.leakwatch.format.report.ScalarConversions.doubleValue;
import static dev.leakwatch.format.report.ScalarConversions.intValue;
import static dev.leakwatch.format.report.ScalarConversions.longValue;
import static dev.leakwatch.format.report.ScalarConversions.string;
import static dev.leakwatch.format.report.ValueReader.list;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.util.List;

/**
 * The report's findings: its {@code suspects} and {@code candidates} ({@link Suspect}, with their evidence, related
 * classes and allocation sites) and its gauge {@code findings} ({@link GaugeFinding}).
 *
 * <p>Each record as {@link JsonReportReader} reads one: its components' defaults, then its fields in any order, then
 * its constructor, whose refusal is the report's.
 */
final class FindingReader {
    private FindingReader() {}

    static Suspect suspect(JsonParser p) throws IOException {
        if (isNull(p, Suspect.class)) {
            return null;
        }
        int rank = 0;
        String className = null;
        String fingerprint = null;
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
        List<RetentionChain> retainedBy = null; // schema 5 and older: none
        RecordFields fields = new RecordFields(p, Suspect.class);
        for (String field = fields.next(); field != null; field = fields.next()) {
            switch (field) {
                case "rank" -> rank = intValue(p);
                case "className" -> className = string(p);
                case "fingerprint" -> fingerprint = string(p);
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
                case "relatedClasses" -> relatedClasses = list(p, FindingReader::relatedClass);
                case "allocationSites" -> allocationSites = list(p, FindingReader::allocationSite);
                case "retainedBy" -> retainedBy = list(p, FindingReader::retentionChain);
                default -> throw fields.unknown();
            }
        }
        try {
            return new Suspect(
                    rank,
                    className,
                    fingerprint,
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
                    allocationSites,
                    retainedBy);
        } catch (RuntimeException e) {
            throw notConstructed(p, Suspect.class, e);
        }
    }

    private static RetentionChain retentionChain(JsonParser p) throws IOException {
        if (isNull(p, RetentionChain.class)) {
            return null;
        }
        String rootKind = null;
        String root = null;
        List<String> chain = null;
        RetentionChain.Container container = null;
        int objects = 0;
        RecordFields fields = new RecordFields(p, RetentionChain.class);
        for (String field = fields.next(); field != null; field = fields.next()) {
            switch (field) {
                case "rootKind" -> rootKind = string(p);
                case "root" -> root = string(p);
                case "chain" -> chain = list(p, ScalarConversions::string);
                case "container" -> container = container(p);
                case "objects" -> objects = intValue(p);
                default -> throw fields.unknown();
            }
        }
        try {
            return new RetentionChain(rootKind, root, chain, container, objects);
        } catch (RuntimeException e) {
            throw notConstructed(p, RetentionChain.class, e);
        }
    }

    private static RetentionChain.Container container(JsonParser p) throws IOException {
        if (isNull(p, RetentionChain.Container.class)) {
            return null;
        }
        String className = null;
        String field = null;
        int chainIndex = 0;
        Double growthEntriesPerMinute = null;
        RecordFields fields = new RecordFields(p, RetentionChain.Container.class);
        for (String name = fields.next(); name != null; name = fields.next()) {
            switch (name) {
                case "className" -> className = string(p);
                case "field" -> field = string(p);
                case "chainIndex" -> chainIndex = intValue(p);
                case "growthEntriesPerMinute" -> growthEntriesPerMinute = boxedDouble(p);
                default -> throw fields.unknown();
            }
        }
        return new RetentionChain.Container(className, field, chainIndex, growthEntriesPerMinute);
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
        RecordFields fields = new RecordFields(p, Suspect.Evidence.class);
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
        RecordFields fields = new RecordFields(p, RelatedClass.class);
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
        RecordFields fields = new RecordFields(p, AllocationSite.class);
        for (String field = fields.next(); field != null; field = fields.next()) {
            switch (field) {
                case "frames" -> frames = list(p, ScalarConversions::string);
                case "allocatedType" -> allocatedType = string(p);
                case "allocatedTypes" -> allocatedTypes = list(p, ScalarConversions::string);
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

    static GaugeFinding finding(JsonParser p) throws IOException {
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
        String fingerprint = null;
        RecordFields fields = new RecordFields(p, GaugeFinding.class);
        for (String field = fields.next(); field != null; field = fields.next()) {
            switch (field) {
                case "kind" -> kind = string(p);
                case "confidence" -> confidence = doubleValue(p);
                case "growthPerMinute" -> growthPerMinute = doubleValue(p);
                case "current" -> current = doubleValue(p);
                case "unit" -> unit = string(p);
                case "summary" -> summary = string(p);
                case "explanation" -> explanation = string(p);
                case "fingerprint" -> fingerprint = string(p);
                default -> throw fields.unknown();
            }
        }
        return new GaugeFinding(kind, confidence, growthPerMinute, current, unit, summary, explanation, fingerprint);
    }
}
