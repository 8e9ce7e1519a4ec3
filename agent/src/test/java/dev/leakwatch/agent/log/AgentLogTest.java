package dev.leakwatch.agent.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AgentLogTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final AgentLog log = new AgentLog(new PrintStream(out, true, StandardCharsets.UTF_8));

    @Test
    void anErrorIsCountedAndSaidInOneLine() {
        log.error("snapshot failed", new IllegalStateException("no histogram"));

        assertEquals(1, log.suppressedErrors());
        assertEquals(
                "[leakwatch] snapshot failed: IllegalStateException (no histogram)\n",
                out.toString(StandardCharsets.UTF_8));
    }

    /**
     * Callers log from their catch blocks; an error out of the log would escape them. On a full heap building the line
     * throws (FaultInjectionIT saw the JVM sampler's thread die of it); here the cause's message does.
     */
    @Test
    void anErrorWhoseLineCannotBeBuiltIsCountedAndNothingIsThrown() {
        Throwable unprintable = new RuntimeException() {
            private static final long serialVersionUID = 1L;

            @Override
            public String getMessage() {
                throw new OutOfMemoryError("Java heap space");
            }
        };

        log.error("snapshot failed", unprintable);

        assertEquals(1, log.suppressedErrors());
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }
}
