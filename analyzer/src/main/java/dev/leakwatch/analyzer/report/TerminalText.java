package dev.leakwatch.analyzer.report;

/**
 * Makes text from the observed JVM safe to print on a terminal or in a one-line log. Class names, frames, paths and
 * option values come from the application, and a class name may hold any character: an escape sequence could
 * rewrite the screen, a newline could forge a line of our report ("leakwatch report: no-leak-found"). Control
 * characters (C0, DEL, C1), the Unicode line and paragraph separators and the bidirectional controls that reorder
 * what is displayed are shown as
 * {@code \n}, {@code \t}, {@code \r} or {@code \}{@code uXXXX}; everything else is kept as it is.
 */
public final class TerminalText {
    private TerminalText() {}

    public static String safe(String text) {
        if (text == null) {
            return "null";
        }
        int first = firstUnsafe(text);
        if (first < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isUnsafe(c)) {
                out.append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else {
                out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
            }
        }
        return out.toString();
    }

    private static int firstUnsafe(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isUnsafe(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isUnsafe(char c) {
        return c < 0x20
                || (c >= 0x7f && c <= 0x9f)
                || (c >= '\u202a' && c <= '\u202e')
                || (c >= '\u2066' && c <= '\u2069')
                || c == '\u200e'
                || c == '\u200f'
                || c == '\u061c'
                || c == '\u2028'
                || c == '\u2029';
    }
}
