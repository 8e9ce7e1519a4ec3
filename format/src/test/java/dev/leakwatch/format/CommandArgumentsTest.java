package dev.leakwatch.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Command lines as the JDK's tools take them, for both the analyzer's commands and the attach client's. */
class CommandArgumentsTest {
    private static final List<String> FORMAT = List.of("--format");

    @Test
    void anOptionTakesItsValueEitherWay() throws CommandArguments.UsageError {
        CommandArguments spaced = CommandArguments.parse(List.of("1", "--format", "json"), FORMAT, "h");
        CommandArguments equals = CommandArguments.parse(List.of("--format=json", "1"), FORMAT, "h");

        assertEquals(spaced, equals);
        assertEquals(Map.of("--format", "json"), equals.options());
        assertEquals(List.of("1"), equals.operands());
    }

    @Test
    void aDoubleDashEndsTheOptionsAndTheLastValueOfARepeatedOneCounts() throws CommandArguments.UsageError {
        assertEquals(
                List.of("-1"),
                CommandArguments.parse(List.of("--", "-1"), List.of(), "h").operands());
        assertEquals(
                Map.of("--format", "html"),
                CommandArguments.parse(List.of("--format", "json", "--format=html"), FORMAT, "h")
                        .options());
    }

    @Test
    void helpAnywhereAsksForHelp() throws CommandArguments.UsageError {
        assertTrue(CommandArguments.parse(List.of("1", "--bogus", "-h"), FORMAT, "h")
                .help());
        assertTrue(CommandArguments.parse(List.of("--help"), List.of(), "h").help());
    }

    @Test
    void aMistakeSaysWhatIsKnownAndWhereToLook() {
        assertEquals(
                "unknown option '--fromat=json' (options: --format, --help; see: leakwatch analyze --help)",
                assertThrows(
                                CommandArguments.UsageError.class,
                                () -> CommandArguments.parse(
                                        List.of("--fromat=json"), FORMAT, "leakwatch analyze --help"))
                        .getMessage());
        assertEquals(
                "unknown option '-x' (options: --help; see: h)",
                assertThrows(
                                CommandArguments.UsageError.class,
                                () -> CommandArguments.parse(List.of("-x"), List.of(), "h"))
                        .getMessage());
        assertEquals(
                "--format needs a value (see: h)",
                assertThrows(
                                CommandArguments.UsageError.class,
                                () -> CommandArguments.parse(List.of("--format"), FORMAT, "h"))
                        .getMessage());
    }
}
