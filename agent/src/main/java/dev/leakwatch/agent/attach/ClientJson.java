package dev.leakwatch.agent.attach;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.format.report.Suspect;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code list} and {@code status} as JSON for scripts, through jackson-core's generator (the agent jar carries no data
 * binding: docs/architecture.md). Every character outside ASCII is escaped, so that a class name or a path from the
 * target prints as plain text even on a terminal.
 */
final class ClientJson {
    private static final JsonFactory JSON =
            JsonFactory.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    /** One row of {@code list}. */
    record Listed(String pid, Optional<Duration> uptime, String main, String recording) {}

    private ClientJson() {}

    /** {@code {"jvms":[{"pid":123,"uptimeSeconds":60,"main":"app.jar","recording":"/dir" or null}, ...]}} */
    static String list(List<Listed> jvms) {
        return write(json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("jvms");
            for (Listed jvm : jvms) {
                json.writeStartObject();
                writePid(json, jvm.pid());
                if (jvm.uptime().isPresent()) {
                    json.writeNumberField("uptimeSeconds", jvm.uptime().get().toSeconds());
                } else {
                    json.writeNullField("uptimeSeconds");
                }
                json.writeStringField("main", jvm.main());
                json.writeStringField("recording", jvm.recording());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    /**
     * {@code {"pid":123,"recording":"/dir","verdict":"leak-suspected" or null,"summary":"...","generatedAt":"...",
     * "suspects":[{"rank":1,"className":"...","fingerprint":"...","growthBytesPerMinute":...,"confidence":...}],
     * "status":[lines]}}: the fields a script tests, from the report the agent last wrote (null before its first), and
     * the agent's status lines as it wrote them.
     */
    static String status(long pid, AttachClient.Answer answer, Optional<LeakReport> newest) {
        return write(json -> {
            json.writeStartObject();
            json.writeNumberField("pid", pid);
            json.writeStringField("recording", answer.recording().toString());
            LeakReport report = newest.orElse(null);
            json.writeStringField(
                    "verdict",
                    report == null || report.verdict() == null
                            ? null
                            : report.verdict().wireName());
            json.writeStringField("summary", report == null ? null : report.summary());
            json.writeStringField("generatedAt", report == null ? null : report.generatedAt());
            json.writeArrayFieldStart("suspects");
            for (Suspect suspect : report == null ? List.<Suspect>of() : report.suspects()) {
                json.writeStartObject();
                json.writeNumberField("rank", suspect.rank());
                json.writeStringField("className", suspect.className());
                json.writeStringField("fingerprint", suspect.fingerprint());
                json.writeNumberField("growthBytesPerMinute", suspect.growthBytesPerMinute());
                json.writeNumberField("confidence", suspect.confidence());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("status");
            String text = answer.text().endsWith("\n")
                    ? answer.text().substring(0, answer.text().length() - 1)
                    : answer.text();
            for (String line : text.split("\n", -1)) {
                json.writeString(line);
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    private static void writePid(JsonGenerator json, String pid) throws IOException {
        try {
            json.writeNumberField("pid", Long.parseLong(pid));
        } catch (NumberFormatException e) {
            json.writeStringField("pid", pid);
        }
    }

    private interface Body {
        void writeTo(JsonGenerator json) throws IOException;
    }

    private static String write(Body body) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(text)) {
            body.writeTo(json);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a string fails only as JSON", e);
        }
        return text.toString();
    }
}
