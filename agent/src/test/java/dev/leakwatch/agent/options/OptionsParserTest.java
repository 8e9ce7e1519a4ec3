package dev.leakwatch.agent.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OptionsParserTest {
    private final OptionsParser parser = new OptionsParser(4242);

    @Test
    void defaultsWithoutArguments() throws OptionsException {
        AgentOptions options = parser.parse(null);
        assertEquals(Path.of("leakwatch-4242"), options.output());
        assertEquals(Duration.ofSeconds(30), options.interval());
        assertEquals(256L << 20, options.maxDisk());
        assertEquals(Optional.empty(), options.warmup());
        assertEquals(0.01, options.budget());
        assertEquals(options, parser.parse(""));
    }

    @Test
    void everyKeyParses() throws OptionsException {
        AgentOptions options = parser.parse(
                "output=/tmp/lw,interval=500ms,report=10s,maxDisk=64m,warmup=2m,budget=5%,maxPause=250ms,window=64");
        assertEquals(Path.of("/tmp/lw"), options.output());
        assertEquals(Duration.ofMillis(500), options.interval());
        assertEquals(Duration.ofSeconds(10), options.report());
        assertEquals(64L << 20, options.maxDisk());
        assertEquals(Optional.of(Duration.ofMinutes(2)), options.warmup());
        assertEquals(0.05, options.budget(), 1e-12);
        assertEquals(Duration.ofMillis(250), options.maxPause());
        assertEquals(64, options.window());
    }

    @Test
    void reportFollowsTheIntervalUnlessGiven() throws OptionsException {
        assertEquals(Duration.ofMinutes(1), parser.parse("").report(), "twice the default interval of 30 s");
        assertEquals(
                Duration.ofSeconds(2),
                parser.parse("interval=1s").report(),
                "a shorter interval brings reports as much sooner (issue 13: no options but output and interval)");
        assertEquals(
                Duration.ofSeconds(45), parser.parse("interval=1s,report=45s").report());
        assertEquals(Duration.ofDays(7), parser.parse("interval=168h").report(), "capped at a week");
    }

    @Test
    void allocationTrackingOptions() throws OptionsException {
        AgentOptions defaults = parser.parse("");
        assertEquals(
                AllocationMode.AUTO,
                defaults.allocations(),
                "the default report names the allocating code wherever that changes no class (issue 13)");
        AllocationMode auto = parser.parse("allocations=auto").allocations();
        assertTrue(auto.tracks(), "auto: tracked");
        assertTrue(auto.instrumentsWhen(true), "auto: instrumented from JVM start, when that is the sampler");
        assertFalse(auto.instrumentsWhen(false), "auto: no class retransformed after an attach");
        assertEquals(OptionsParser.DEFAULT_SAMPLING, defaults.sampling());
        assertEquals(300, defaults.maxSampleRate());
        AgentOptions options = parser.parse("allocations=on,sampling=512,maxSampleRate=1000,include=com.acme.*;"
                + "org.example.Cache,exclude=com.acme.gen.*,stackDepth=40,maxTracked=5000");
        assertEquals(AllocationMode.ON, options.allocations());
        assertTrue(options.allocations().instrumentsWhen(false), "on: also instrumented after an attach");
        assertFalse(parser.parse("allocations=off").allocations().tracks());
        assertEquals(512, options.sampling());
        assertEquals(1000, options.maxSampleRate());
        assertEquals(java.util.List.of("com.acme.*", "org.example.Cache"), options.include());
        assertEquals(java.util.List.of("com.acme.gen.*"), options.exclude());
        assertEquals(40, options.stackDepth());
        assertEquals(5000, options.maxTracked());
        assertEquals(
                options, parser.parse(options.toArgumentString()), "the printed form parses back to the same options");
        assertEquals(defaults, parser.parse(defaults.toArgumentString()));
    }

    @Test
    void samplerOptions() throws OptionsException {
        AgentOptions defaults = parser.parse("");
        assertEquals(SamplerChoice.AUTO, defaults.sampler(), "the JVM's sampler where it loads");
        assertEquals(SamplerChoice.AUTO, parser.parse("sampler=auto").sampler());
        assertEquals(128 << 10, defaults.samplingBytes());
        AgentOptions jvm = parser.parse("sampler=jvm,samplingBytes=64k");
        assertEquals(SamplerChoice.JVM, jvm.sampler());
        assertEquals(64 << 10, jvm.samplingBytes());
        assertEquals(jvm, parser.parse(jvm.toArgumentString()));
        assertEquals(
                SamplerChoice.INSTRUMENTATION,
                parser.parse("sampler=instrumentation").sampler());
        assertEquals(
                SamplerChoice.INSTRUMENTATION, parser.parse("sampler=bytecode").sampler());
        assertEquals(1L << 30, parser.parse("samplingBytes=1g").samplingBytes());
    }

    @Test
    void maxSampleRateZeroMeansNoCeiling() throws OptionsException {
        AgentOptions options = parser.parse("maxSampleRate=0");
        assertEquals(0, options.maxSampleRate());
        assertEquals(options, parser.parse(options.toArgumentString()));
        assertEquals(1_000_000, parser.parse("maxSampleRate=1000000").maxSampleRate());
    }

    @Test
    void filesAreOwnerOnlyUnlessFileModeWidensReading() throws OptionsException {
        assertEquals(
                EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                parser.parse("").fileMode());
        AgentOptions groupReads = parser.parse("fileMode=0640");
        assertEquals(
                EnumSet.of(
                        PosixFilePermission.OWNER_READ,
                        PosixFilePermission.OWNER_WRITE,
                        PosixFilePermission.GROUP_READ),
                groupReads.fileMode());
        assertTrue(groupReads.toArgumentString().contains(",fileMode=0640,"), groupReads.toArgumentString());
    }

    @Test
    void holdersAreSearchedForConfirmedSuspectsEveryTenMinutesByDefault() throws OptionsException {
        AgentOptions defaults = parser.parse("");
        assertEquals(HoldersMode.AUTO, defaults.holders());
        assertEquals(Duration.ofMinutes(10), defaults.holdersEvery());
        assertFalse(defaults.holders().searchesAfter(1), "auto waits for a confirmed suspect");
        assertTrue(defaults.holders().searchesAfter(2));
        AgentOptions on = parser.parse("holders=on,holdersEvery=30s");
        assertTrue(on.holders().searchesAfter(1));
        assertEquals(Duration.ofSeconds(30), on.holdersEvery());
        assertEquals(on, parser.parse(on.toArgumentString()));
        assertFalse(parser.parse("holders=off").holders().searchesAfter(100));
        assertEquals(
                "option 'holders': 'sometimes' is not on, off or auto",
                assertThrows(OptionsException.class, () -> parser.parse("holders=sometimes"))
                        .getMessage());
        assertEquals(
                "option 'holdersEvery': '10ms' is below the minimum of 1000ms",
                assertThrows(OptionsException.class, () -> parser.parse("holdersEvery=10ms"))
                        .getMessage());
    }

    @Test
    void budgetAcceptsAFraction() throws OptionsException {
        assertEquals(0.02, parser.parse("budget=0.02").budget(), 1e-12);
    }

    /** Values that parse as numbers but no recording could run with: one line naming the bound (issue 11). */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "interval=3000000h|option 'interval': '3000000h' is too large",
                "interval=169h|option 'interval': '169h' is above the maximum of 168h",
                "report=9999999m|option 'report': '9999999m' is above the maximum of 168h",
                "warmup=2562047h|option 'warmup': '2562047h' is above the maximum of 168h",
                "warmup=9223372036854775807s|option 'warmup': '9223372036854775807s' is too large",
                "maxPause=9223372036854775807h|option 'maxPause': '9223372036854775807h' is too large",
                "interval=99999999999999999999999ms|option 'interval': '99999999999999999999999ms' is too large",
                "maxDisk=99999999999999999999|option 'maxDisk': '99999999999999999999' is too large",
                "maxDisk=9999999999g|option 'maxDisk': '9999999999g' is too large",
                "sampling=-5|option 'sampling': '-5' is not a sampling interval (a whole number from 1 to 1073741824)",
                "stackDepth=99999999999999999999|option 'stackDepth': '99999999999999999999' is not a stack depth (a whole number from 4 to 256)",
                "budget=1e-300|option 'budget': '1e-300' is not a budget (a share of wall time from 0.01% to 50%, e.g. 1% or 0.01)",
                "budget=NaN|option 'budget': 'NaN' is not a budget (a share of wall time from 0.01% to 50%, e.g. 1% or 0.01)",
            })
    void overflowingAndAbsurdValuesAreOneLine(String arguments, String message) {
        OptionsException error = assertThrows(OptionsException.class, () -> parser.parse(arguments));
        assertEquals(message, error.getMessage());
    }

    @Test
    void theLongestDurationsAccepted() throws OptionsException {
        AgentOptions options = parser.parse("interval=168h,report=10080m,warmup=604800s,maxPause=604800000ms");
        assertEquals(Duration.ofDays(7), options.interval());
        assertEquals(Duration.ofDays(7), options.report());
        assertEquals(Optional.of(Duration.ofDays(7)), options.warmup());
        assertEquals(Duration.ofDays(7), options.maxPause());
        assertEquals(0.0001, parser.parse("budget=0.01%").budget(), 1e-12);
    }

    /** A pasted log line or a runaway script must not become 100 KB on the user's terminal or the target's stderr. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "interval=|9|h|option 'interval': '999999999999999999999999999999999999999999999999999999999999...' is too large",
                "interval=|5|x|option 'interval': '555555555555555555555555555555555555555555555555555555555555...' is not a duration (use a number with ms, s, m or h, e.g. 500ms, 10s, 1m)",
                "|k|=1|unknown option 'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk...' (options: output, interval, report, maxDisk, warmup, budget, maxPause, window, allocations, sampling, sampler, samplingBytes, maxSampleRate, include, exclude, stackDepth, maxTracked, fileMode, holders, holdersEvery)",
                "|n||option 'nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn...' is not key=value (options: output, interval, report, maxDisk, warmup, budget, maxPause, window, allocations, sampling, sampler, samplingBytes, maxSampleRate, include, exclude, stackDepth, maxTracked, fileMode, holders, holdersEvery)",
                "include=|a|;9|option 'include': '9' is not a class pattern (use a class name like com.acme.Cache or a package like com.acme.*, separated by ';')",
                "include=9|a||option 'include': '9aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' is not a class pattern (use a class name like com.acme.Cache or a package like com.acme.*, separated by ';')",
                "budget=|7|%|option 'budget': '777777777777777777777777777777777777777777777777777777777777...' is not a budget (a share of wall time from 0.01% to 50%, e.g. 1% or 0.01)",
                "allocations=|y||option 'allocations': 'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy...' is not on, off or auto",
            })
    void aHugeValueIsEchoedShort(String before, String repeated, String after, String message) {
        String arguments = (before == null ? "" : before) + repeated.repeat(100_000) + (after == null ? "" : after);
        OptionsException error = assertThrows(OptionsException.class, () -> parser.parse(arguments));
        assertEquals(message, error.getMessage());
        assertTrue(error.getMessage().length() < 400, "one short line");
    }

    @Test
    void controlCharactersInAValueAreNotEchoed() {
        OptionsException newline = assertThrows(OptionsException.class, () -> parser.parse("interval=5\nx"));
        assertEquals(
                "option 'interval': '5?x' is not a duration (use a number with ms, s, m or h, e.g. 500ms, 10s, 1m)",
                newline.getMessage());
        OptionsException nul = assertThrows(OptionsException.class, () -> parser.parse("output=/tmp/a\0b"));
        assertEquals("option 'output': Nul character not allowed: /tmp/a?b", nul.getMessage());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "color=red|unknown option 'color' (options: output, interval, report, maxDisk, warmup, budget, maxPause, window, allocations, sampling, sampler, samplingBytes, maxSampleRate, include, exclude, stackDepth, maxTracked, fileMode, holders, holdersEvery)",
                "interval=5x|option 'interval': '5x' is not a duration (use a number with ms, s, m or h, e.g. 500ms, 10s, 1m)",
                "interval=10ms|option 'interval': '10ms' is below the minimum of 100ms",
                "maxDisk=lots|option 'maxDisk': 'lots' is not a size (use bytes or a number with k, m or g, e.g. 256m)",
                "maxDisk=1k|option 'maxDisk': '1k' is below the minimum of 1m",
                "budget=80%|option 'budget': '80%' is not a budget (a share of wall time from 0.01% to 50%, e.g. 1% or 0.01)",
                "window=3|option 'window': '3' is not a window size (a whole number of points from 16 to 1024)",
                "interval|option 'interval' is not key=value (options: output, interval, report, maxDisk, warmup, budget, maxPause, window, allocations, sampling, sampler, samplingBytes, maxSampleRate, include, exclude, stackDepth, maxTracked, fileMode, holders, holdersEvery)",
                "interval=1s,interval=2s|option 'interval' is given twice",
                "output=|option 'output' has no value",
                "sampling=0|option 'sampling': '0' is not a sampling interval (a whole number from 1 to 1073741824)",
                "maxSampleRate=-1|option 'maxSampleRate': '-1' is not a sample rate in samples per second (a whole number from 0 to 1000000)",
                "maxSampleRate=1000001|option 'maxSampleRate': '1000001' is not a sample rate in samples per second (a whole number from 0 to 1000000)",
                "maxSampleRate=fast|option 'maxSampleRate': 'fast' is not a sample rate in samples per second (a whole number from 0 to 1000000)",
                "allocations=maybe|option 'allocations': 'maybe' is not on, off or auto",
                "sampler=tlab|option 'sampler': 'tlab' is not auto, jvm or instrumentation",
                "samplingBytes=512|option 'samplingBytes': '512' is not a sampling interval between 1k and 1g bytes",
                "samplingBytes=2g|option 'samplingBytes': '2g' is not a sampling interval between 1k and 1g bytes",
                "samplingBytes=lots|option 'samplingBytes': 'lots' is not a size (use bytes or a number with k, m or g, e.g. 256m)",
                "fileMode=0666|option 'fileMode': '0666' is not allowed: the owner must read and write, and the group and others may only read (0600, 0640 or 0644)",
                "fileMode=0400|option 'fileMode': '0400' is not allowed: the owner must read and write, and the group and others may only read (0600, 0640 or 0644)",
                "fileMode=rw|option 'fileMode': 'rw' is not an octal file mode such as 0600 or 0640",
                "include=com.acme.*;9bad|option 'include': '9bad' is not a class pattern (use a class name like com.acme.Cache or a package like com.acme.*, separated by ';')",
            })
    void badInputNamesTheKeyAndWhatIsAllowed(String arguments, String message) {
        OptionsException error = assertThrows(OptionsException.class, () -> parser.parse(arguments));
        assertEquals(message, error.getMessage());
        assertTrue(!error.getMessage().contains("\n"), "one line");
    }
}
