package dev.leakwatch.analyzer.rule;

import static dev.leakwatch.analyzer.analysis.SyntheticRecording.MB;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.constant;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.linear;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leakwatch.analyzer.analysis.SyntheticRecording;
import dev.leakwatch.analyzer.trend.TrendFitter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which growing arrays {@link Membership} takes for the resized table of a collection. */
class MembershipTest {

    /**
     * Bytes grow by 1 MB a minute in each case; the count grows by {@code arraysPerMinute}, arrays of 1 KB each. A
     * table grows because its arrays do; an array per entry grows because there are more of them; a primitive array
     * holds no entries, whatever grows it.
     */
    @ParameterizedTest
    @CsvSource({
        "java.util.HashMap$Node[], 0, true",
        "java.lang.Object[], 5, true",
        "java.lang.Object[], 1000, false",
        "java.util.concurrent.ConcurrentHashMap$Node[], 800, false",
        "byte[], 0, false",
        "int[][], 0, false",
        "java.util.logging.LogManager$LogNode, 0, false",
    })
    void aResizedTableIsAReferenceArrayThatGrowsMoreThanItsCount(
            String className, double arraysPerMinute, boolean resizedTable) {
        SyntheticRecording recording = SyntheticRecording.create()
                .withClass(className, linear(2 * MB, MB), constant(2_000).plus(linear(0, arraysPerMinute)));
        AnalysisWindow window = new AnalysisWindow(recording.table(), 0);
        AnalysisWindow.Series bytes = window.classBytes(className);
        ClassTrend trend = new ClassTrend(className, bytes, TrendFitter.fit(bytes.minutes(), bytes.values()), 1);

        assertEquals(resizedTable, new Membership(window, 0.95, 0.15).isResizedTable(trend));
    }
}
