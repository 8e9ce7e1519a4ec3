package dev.leakwatch.agent.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.format.report.Suspect;
import dev.leakwatch.samples.Sample;
import dev.leakwatch.samples.SampleCatalog;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet's existing Prometheus shows and alerts on leakwatch's findings with no leakwatch server: a leaking sample runs
 * with leakwatch and the Prometheus JMX exporter's java agent configured by the shipped
 * {@code contrib/prometheus/leakwatch-jmx-exporter.yaml}; Debian's {@code prometheus} (which {@code .ci/run} installs)
 * scrapes it, started here on 127.0.0.1 with a temporary data directory and stopped at the end. A PromQL query over
 * its HTTP API returns the suspect's growth labelled with the fingerprint of the agent's own report, within the time
 * the sample's detection takes, and a copy of the shipped alert rule (with a short {@code for:}) fires.
 */
@Tag("e2e")
class PrometheusIT {
    private static final Sample SAMPLE = SampleCatalog.byName("static-cache").orElseThrow();
    private static final String ALERT = "LeakwatchLeakSuspected";
    /** The shipped rule waits 15 minutes; the test's copy waits this long, still more than one evaluation. */
    private static final String TEST_FOR = "10s";

    private static final Path CONTRIB = Path.of(System.getProperty("leakwatch.contribDir", "../contrib"));
    private static final Path EXPORTER_JAR = Path.of(System.getProperty("leakwatch.jmxExporterJar", ""));

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void prometheusShowsTheSuspectWithItsFingerprintAndTheExampleAlertFires(@TempDir Path workDir) throws Exception {
        Path prometheus = executable("prometheus");
        Path rules = CONTRIB.resolve("prometheus/leakwatch-alerts.yml");
        Path exporterRules = CONTRIB.resolve("prometheus/leakwatch-jmx-exporter.yaml");
        assertTrue(Files.isRegularFile(EXPORTER_JAR), "no JMX exporter agent at " + EXPORTER_JAR + ": run mvn verify");
        String shippedRules = Files.readString(rules);
        assertTrue(shippedRules.contains("for: 15m"), "the shipped rule waits 15 minutes:\n" + shippedRules);
        Path testRules = workDir.resolve("alerts-test.yml");
        Files.writeString(testRules, shippedRules.replace("for: 15m", "for: " + TEST_FOR));

        int exporterPort = freePort();
        int prometheusPort = freePort();
        Path config = workDir.resolve("prometheus.yml");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "global:",
                        "  scrape_interval: 1s",
                        "  evaluation_interval: 1s",
                        "rule_files:",
                        "  - " + testRules,
                        "scrape_configs:",
                        "  - job_name: leakwatch-sample",
                        "    static_configs:",
                        "      - targets: ['127.0.0.1:" + exporterPort + "']",
                        ""));
        Optional<Path> promtool = onPath("promtool");
        if (promtool.isPresent()) {
            run(workDir, promtool.get().toString(), "check", "rules", rules.toString());
            run(workDir, promtool.get().toString(), "check", "config", config.toString());
        }

        Path output = workDir.resolve("out");
        try (ForkedJvm jvm = ForkedJvm.startSample(
                        ForkedJvm.DEFAULT_JAVA,
                        workDir.resolve("sample"),
                        "output=" + output + "," + SampleDetectionIT.AGENT_ARGUMENTS,
                        List.of("-javaagent:" + EXPORTER_JAR + "=127.0.0.1:" + exporterPort + ":" + exporterRules),
                        SAMPLE.name(),
                        "--duration",
                        "300s");
                Server server = Server.start(
                        workDir,
                        prometheus.toString(),
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + workDir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + prometheusPort)) {
            String base = "http://127.0.0.1:" + prometheusPort;
            String query = "leakwatch_suspect_growth_bytes_per_minute{class=\"" + SAMPLE.leakingClass() + "\"}";
            JsonNode series = await().atMost(SampleDetectionIT.DETECTION_DEADLINE)
                    .pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptions()
                    .until(
                            () -> result(get(base + "/api/v1/query?query=" + encode(query))),
                            result -> result.size() > 0)
                    .get(0);
            double growth = series.path("value").get(1).asDouble();
            assertTrue(growth > 0, () -> "growth " + series);
            String fingerprint = series.path("metric").path("fingerprint").asText();
            assertEquals(
                    SAMPLE.leakingClass(), series.path("metric").path("class").asText(), series::toString);

            LeakReport report = Reports.read(output).orElseThrow();
            String reported = report.suspects().stream()
                    .filter(suspect -> suspect.className().equals(SAMPLE.leakingClass()))
                    .map(Suspect::fingerprint)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no suspect in the agent's report: " + report.summary()));
            assertEquals(reported, fingerprint, () -> "the metric's label against the report; " + series);

            JsonNode alert = await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptions()
                    .until(() -> firingAlert(base, fingerprint), Optional::isPresent)
                    .orElseThrow();
            assertEquals(
                    SAMPLE.leakingClass(), alert.path("labels").path("class").asText(), alert::toString);
            assertTrue(
                    alert.path("annotations").path("summary").asText().contains(SAMPLE.leakingClass()),
                    alert::toString);
            assertEquals(0L, report.agent().suppressedErrors(), jvm::stderr);
            assertTrue(jvm.isAlive(), jvm::stderr);
        }
    }

    private Optional<JsonNode> firingAlert(String base, String fingerprint) throws IOException, InterruptedException {
        for (JsonNode alert :
                json.readTree(get(base + "/api/v1/alerts")).path("data").path("alerts")) {
            if (alert.path("labels").path("alertname").asText().equals(ALERT)
                    && alert.path("labels").path("fingerprint").asText().equals(fingerprint)
                    && alert.path("state").asText().equals("firing")) {
                return Optional.of(alert);
            }
        }
        return Optional.empty();
    }

    private JsonNode result(String body) throws IOException {
        JsonNode answer = json.readTree(body);
        assertEquals("success", answer.path("status").asText(), body);
        return answer.path("data").path("result");
    }

    private String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response::body);
        return response.body();
    }

    private static String encode(String query) {
        return URLEncoder.encode(query, StandardCharsets.UTF_8);
    }

    /** A port free on the loopback now; Prometheus and the exporter bind it a moment later. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Path executable(String name) {
        return onPath(name)
                .orElseThrow(() -> new AssertionError(name + " is not on the PATH: this test runs Debian's " + name
                        + " (.ci/run installs it: apt-get install -y prometheus)"));
    }

    private static Optional<Path> onPath(String name) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(directory, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static void run(Path workDir, String... command) throws IOException, InterruptedException {
        Path log = workDir.resolve("command.txt");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        assertEquals(0, process.exitValue(), () -> String.join(" ", command) + ":\n" + read(log));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** A server process the test starts and always stops, its output in a file for the failure message. */
    private record Server(Process process, Path log) implements AutoCloseable {
        static Server start(Path workDir, String... command) throws IOException {
            Path log = workDir.resolve("prometheus.log");
            List<String> arguments = new ArrayList<>(List.of(command));
            Process process = new ProcessBuilder(arguments)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            return new Server(process, log);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
