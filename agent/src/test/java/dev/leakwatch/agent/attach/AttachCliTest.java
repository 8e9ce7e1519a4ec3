package dev.leakwatch.agent.attach;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What the attach commands print of the target's answer: its lines, and nothing from the target as terminal codes. */
class AttachCliTest {
    private static final String NL = System.lineSeparator();

    @Test
    void theAnswersLinesStayAndTheirControlCharactersAreShown() {
        String status =
                "recording to /tmp/lw\nreport: leak-suspected: com.acme.X\u001b[2J\rgrows\n\nallocations: off\n";

        assertEquals(
                "recording to /tmp/lw" + NL + "report: leak-suspected: com.acme.X\\u001b[2J\\rgrows" + NL + NL
                        + "allocations: off" + NL,
                AttachCli.terminalLines(status));
    }

    @Test
    void anAnswerWithoutAFinalLineBreakGetsOne() {
        assertEquals("stopped" + NL, AttachCli.terminalLines("stopped"));
    }
}
