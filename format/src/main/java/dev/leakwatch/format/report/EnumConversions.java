package dev.leakwatch.format.report;

import static dev.leakwatch.format.report.RefusedReportException.mismatch;
import static dev.leakwatch.format.report.RefusedReportException.weird;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.leakwatch.format.model.AllocationSampler;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The report's enum values: those with a wire name ({@link Verdict}, {@link Severity}, {@link AllocationSampler}) by
 * that name as each one's {@code fromWireName} matches it, never by the constant's name, as the deserializers
 * registered for them read them; {@link AgentSummary.Writing} as data binding read any enum with case-insensitive
 * enums enabled. {@code JsonReportReaderTest} holds both against data binding.
 */
final class EnumConversions {
    private EnumConversions() {}

    /** By the name the writer puts out ({@code paused}), any other case of it, or the constant's index. */
    static AgentSummary.Writing writing(JsonParser p) throws IOException {
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
    static AllocationSampler sampler(JsonParser p) throws IOException {
        return byWireName(
                p, AllocationSampler.class, AllocationSampler::fromWireName, "not a known allocation sampler");
    }

    static Verdict verdict(JsonParser p) throws IOException {
        return byWireName(p, Verdict.class, Verdict::fromWireName, "not a known verdict");
    }

    static Severity severity(JsonParser p) throws IOException {
        return byWireName(p, Severity.class, Severity::fromWireName, "not a known severity");
    }

    /**
     * An enum by the wire name the writer puts out ({@code leak-suspected}), not by the constant's name; an unknown name
     * is refused like any other damage ({@code ReportReadBackFuzzTest}).
     */
    private static <E extends Enum<E>> E byWireName(
            JsonParser p, Class<E> type, Function<String, Optional<E>> byName, String unknown) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw mismatch(p, type);
        }
        String name = p.getText();
        return byName.apply(name).orElseThrow(() -> weird(p, type, name, unknown));
    }
}
