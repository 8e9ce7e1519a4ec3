package dev.leakwatch.analyzer.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** What a class name, path or option value may not do on a terminal: break a line, move the cursor, reorder text. */
class TerminalTextTest {
    @Test
    void ordinaryTextIsKeptAsItIs() {
        String name = "com.acme.Café$Session[]";
        assertSame(name, TerminalText.safe(name));
    }

    @Test
    void lineBreaksOfEveryKindAreShownNotFollowed() {
        assertEquals("a\\nb\\rc\\u2028d\\u2029e\\u0085f", TerminalText.safe("a\nb\rc\u2028d\u2029e\u0085f"));
    }

    @Test
    void escapeSequencesAndBidirectionalControlsAreShown() {
        assertEquals("\\u001b[2Jx\\u202egnp.exe", TerminalText.safe("\u001b[2Jx\u202egnp.exe"));
    }
}
