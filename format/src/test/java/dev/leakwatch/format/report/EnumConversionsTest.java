package dev.leakwatch.format.report;

import static dev.leakwatch.format.report.Parsers.read;
import static dev.leakwatch.format.report.Parsers.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.leakwatch.format.model.AllocationSampler;
import org.junit.jupiter.api.Test;

/** {@link EnumConversions}: wire names only where a deserializer was registered, else any case or the index. */
class EnumConversionsTest {
    @Test
    void verdictsSeveritiesAndSamplersAreReadByWireNameOnly() throws Exception {
        assertEquals(Verdict.LEAK_SUSPECTED, read(EnumConversions::verdict, "\"leak-suspected\""));
        assertEquals(AllocationSampler.JVM, read(EnumConversions::sampler, "\"jvm\""));
        assertEquals(AllocationSampler.JVM, read(EnumConversions::sampler, "\"JVM\""), "the sampler's own rule");
        assertNull(read(EnumConversions::severity, "null"));
        assertEquals(
                "Cannot deserialize value of type `" + Verdict.class.getName() + "` from String"
                        + " \"LEAK_SUSPECTED\": not a known verdict",
                refusal(EnumConversions::verdict, "\"LEAK_SUSPECTED\""));
        assertEquals(
                "Cannot deserialize value of type `" + AllocationSampler.class.getName() + "` from String"
                        + " \"bytes\": not a known allocation sampler",
                refusal(EnumConversions::sampler, "\"bytes\""));
        assertEquals(
                "Cannot deserialize value of type `" + Verdict.class.getName() + "` from VALUE_NUMBER_INT",
                refusal(EnumConversions::verdict, "0"));
    }

    @Test
    void writingIsReadByNameInAnyCaseOrByIndex() throws Exception {
        assertEquals(AgentSummary.Writing.PAUSED, read(EnumConversions::writing, "\"paused\""));
        assertEquals(AgentSummary.Writing.PAUSED, read(EnumConversions::writing, "\" Paused \""));
        assertEquals(AgentSummary.Writing.REFUSED, read(EnumConversions::writing, "2"));
        assertEquals(AgentSummary.Writing.REFUSED, read(EnumConversions::writing, "\"2\""));
        assertEquals(
                "Cannot deserialize value of type `" + AgentSummary.Writing.class.getName() + "` from String"
                        + " \"02\": not one of the values accepted for Enum class: [ok, paused, refused]",
                refusal(EnumConversions::writing, "\"02\""));
        assertEquals(
                "Cannot deserialize value of type `" + AgentSummary.Writing.class.getName() + "` from String"
                        + " \"3\": index value outside legal index range",
                refusal(EnumConversions::writing, "3"));
    }
}
