import dev.leakwatch.analyzer.analysis.AnalysisSettings;
import dev.leakwatch.analyzer.analysis.LeakAnalyzer;
import dev.leakwatch.analyzer.analysis.ReportTimelines;
import dev.leakwatch.analyzer.analysis.SeriesProvenance;
import dev.leakwatch.analyzer.report.JsonReportWriter;
import dev.leakwatch.analyzer.report.TextReportWriter;
import dev.leakwatch.analyzer.report.html.HtmlReportWriter;
import dev.leakwatch.analyzer.series.SeriesTable;
import dev.leakwatch.cli.SeriesReader;
import dev.leakwatch.format.model.SnapshotSeries;
import dev.leakwatch.format.report.LeakReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What the HTML page costs to render next to the JSON and text reports, as the agent renders all three at each
 * refresh: the same analysis table (256 points, as the CLI's), rendered in a loop after a warm-up.
 *
 * <pre>
 *   mvn -B -ntp -o -q package -DskipTests -pl format,analyzer,cli
 *   java -cp cli/target/leakwatch-analyzer.jar bench/ScaleRecording.java /tmp/scale 240 5000
 *   java -cp cli/target/leakwatch-analyzer.jar bench/HtmlRender.java /tmp/scale [ROUNDS]
 * </pre>
 */
public class HtmlRender {
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        SnapshotSeries series = SeriesReader.read(Path.of(args[0]), 2048);
        SeriesTable table = SeriesTable.of(series, 256);
        LeakReport report = new LeakAnalyzer()
                .analyze(
                        table,
                        new SeriesProvenance(series.source(), series.recordsRead(), 0, List.of(), null),
                        AnalysisSettings.defaults());
        HtmlReportWriter html = new HtmlReportWriter();
        JsonReportWriter json = new JsonReportWriter();
        TextReportWriter text = new TextReportWriter();
        int size = 0;
        for (int i = 0; i < rounds; i++) {
            size = html.render(report, ReportTimelines.of(table, report)).getBytes(StandardCharsets.UTF_8).length;
            json.render(report);
            text.render(report);
        }
        long htmlNanos = 0;
        long otherNanos = 0;
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            html.render(report, ReportTimelines.of(table, report));
            long middle = System.nanoTime();
            json.render(report);
            text.render(report);
            long end = System.nanoTime();
            htmlNanos += middle - start;
            otherNanos += end - middle;
        }
        System.out.printf(
                Locale.ROOT,
                "%d points, %d classes tracked, %d suspects: html %.2f ms (%,d bytes), json+text %.2f ms per render%n",
                table.size(),
                table.classCount(),
                report.suspects().size(),
                htmlNanos / 1e6 / rounds,
                size,
                otherNanos / 1e6 / rounds);
    }
}
