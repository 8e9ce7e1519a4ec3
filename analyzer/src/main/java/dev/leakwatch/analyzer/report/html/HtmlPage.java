package dev.leakwatch.analyzer.report.html;

/**
 * The frame every leakwatch page shares: the document head with its Content-Security-Policy, the style sheet and the
 * script, around a body the caller writes. One self-contained file: nothing in it refers to anything outside it.
 */
final class HtmlPage {
    /**
     * Hashed once: the script and style never change, and each {@code MessageDigest.getInstance} builds the digest
     * reflectively, which after 15 pages made the JVM generate an accessor class in the host between two reports
     * (AgentFootprintIT, CI of 6a2c595).
     */
    private static final String POLICY = ContentSecurityPolicy.forPage(PageAssets.SCRIPT, PageAssets.STYLE);

    private HtmlPage() {}

    static String wrap(String title, String body) {
        StringBuilder out = new StringBuilder(body.length() + 8_192);
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"")
                .append(POLICY)
                .append("\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"generator\" content=\"leakwatch\">\n<title>")
                .append(HtmlText.escape(title))
                .append("</title>\n<style>")
                .append(PageAssets.STYLE)
                .append("</style>\n</head>\n<body>\n<main>\n")
                .append(body)
                .append("</main>\n<script>")
                .append(PageAssets.SCRIPT)
                .append("</script>\n</body>\n</html>\n");
        return out.toString();
    }
}
