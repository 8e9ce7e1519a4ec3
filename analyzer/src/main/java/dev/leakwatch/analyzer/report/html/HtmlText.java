package dev.leakwatch.analyzer.report.html;

import dev.leakwatch.analyzer.report.TerminalText;

/**
 * Makes any text safe inside an HTML element or a quoted attribute. Class names, frames, paths and option values come
 * from the observed JVM and may hold any character: {@code <}, {@code &} and quotes are written as entities, so a
 * class named {@code <script>...} shows as text and runs nothing ({@code HtmlReportWriterTest}, and the browser test
 * {@code HtmlPageBrowserIT}). Control characters and the bidirectional overrides that would reorder what a reader
 * sees are shown as escapes first, as on a terminal ({@link TerminalText}).
 */
public final class HtmlText {
    private HtmlText() {}

    public static String escape(String text) {
        String safe = TerminalText.safe(text);
        StringBuilder out = null;
        for (int i = 0; i < safe.length(); i++) {
            char c = safe.charAt(i);
            String entity = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (entity != null && out == null) {
                out = new StringBuilder(safe.length() + 16).append(safe, 0, i);
            }
            if (out != null) {
                if (entity != null) {
                    out.append(entity);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? safe : out.toString();
    }
}
