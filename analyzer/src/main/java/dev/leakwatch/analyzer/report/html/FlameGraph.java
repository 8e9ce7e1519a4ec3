package dev.leakwatch.analyzer.report.html;

import dev.leakwatch.analyzer.report.ReportTimeline.FlamePath;
import dev.leakwatch.analyzer.report.TerminalText;
import dev.leakwatch.analyzer.report.Wording;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * A suspect's sampled allocation paths as an icicle graph of live bytes: the outermost frame at the top, each frame as
 * wide as the live bytes allocated through it, the allocated type at the bottom. The application's key frame (the one
 * the report names) stands out in red; the page's script zooms into a frame on a click.
 *
 * <p>Bounded: at most {@code maxFrames} frames are drawn, the widest (each after its parent, so what is drawn is a
 * whole top part of the graph), none narrower than {@link #MIN_WIDTH} of a pixel, and
 * stacks deeper than {@link #MAX_DEPTH} keep their innermost frames. A two-hour recording with 150 distinct paths 40
 * frames deep per suspect drew 12,302 frames, 2.9 MB of a 3.1 MB page, before the cap ({@code HtmlReportSizeTest}).
 */
final class FlameGraph {
    static final int WIDTH = 1000;
    static final int ROW = 18;
    static final double MIN_WIDTH = 0.5;
    static final int MAX_DEPTH = 48;
    private static final double CHAR_WIDTH = 7;

    private FlameGraph() {}

    /**
     * @param maxFrames the most frames to draw
     * @return the graph, or null when there is nothing to draw
     */
    static String svg(List<FlamePath> paths, int maxFrames) {
        Node root = new Node("all sampled live paths", "root");
        for (FlamePath path : paths) {
            if (path.liveBytes() <= 0) {
                continue;
            }
            root.bytes += path.liveBytes();
            Node node = root;
            List<String> frames = path.frames();
            int outermost = Math.min(frames.size(), MAX_DEPTH) - 1;
            for (int i = outermost; i >= 0; i--) {
                String frame = frames.get(i);
                String kind = i == path.firstApplicationFrame() ? "app" : isJdk(frame) ? "jdk" : "lib";
                node = node.child(frame, kind);
                node.bytes += path.liveBytes();
            }
            node = node.child("new " + path.allocatedType(), "alloc");
            node.bytes += path.liveBytes();
        }
        if (root.bytes == 0) {
            return null;
        }
        int[] chosen = choose(root, maxFrames, (long) Math.ceil(MIN_WIDTH * root.bytes / WIDTH));
        int depth = chosen[0];
        int omitted = root.count() - chosen[1];
        int height = depth * ROW + 2;
        StringBuilder out = new StringBuilder(16_384);
        out.append("<svg class=\"flame\" viewBox=\"0 0 ")
                .append(WIDTH)
                .append(' ')
                .append(height)
                .append("\" width=\"")
                .append(WIDTH)
                .append("\" height=\"")
                .append(height)
                .append("\" data-width=\"")
                .append(WIDTH)
                .append("\" role=\"img\"><title>allocation paths by live sampled bytes</title>");
        draw(out, root, 0, 0, root.bytes);
        out.append("</svg>");
        if (omitted > 0) {
            out.append("<p class=\"muted\">")
                    .append(omitted)
                    .append(" narrower frames are left out, to keep the page small; the gaps are theirs.</p>");
        }
        return out.toString();
    }

    /**
     * Marks the frames to draw: the widest first, a frame only after its parent, until {@code count} are marked or the
     * rest are narrower than {@code minBytes}.
     *
     * @return the rows and the frames marked
     */
    private static int[] choose(Node root, int count, long minBytes) {
        // Of frames equally wide, the shallower first: where many paths weigh the same, their top rows are drawn whole
        // rather than a few of them to the bottom.
        PriorityQueue<Node> next = new PriorityQueue<>(
                Comparator.comparingLong((Node node) -> node.bytes).reversed().thenComparingInt(node -> node.level));
        next.add(root);
        int marked = 0;
        int rows = 0;
        while (!next.isEmpty() && marked < count) {
            Node node = next.poll();
            if (node.bytes < minBytes) {
                break;
            }
            node.shown = true;
            marked++;
            rows = Math.max(rows, node.level + 1);
            for (Node child : node.children.values()) {
                child.level = node.level + 1;
                next.add(child);
            }
        }
        return new int[] {rows, marked};
    }

    private static void draw(StringBuilder out, Node node, double x, int level, long total) {
        double width = WIDTH * (double) node.bytes / total;
        if (!node.shown) {
            return;
        }
        // The title holds the label, then the figures; the script shows data-n characters of it when zooming.
        String label = TerminalText.safe(node.label);
        String tip = label + " \u2014 " + Wording.bytes(node.bytes) + " live ("
                + String.format(Locale.ROOT, "%.1f%%", 100.0 * node.bytes / total) + ")";
        int fit = (int) Math.floor((width - 6) / CHAR_WIDTH);
        String shown = fit < 3
                ? ""
                : label.length() > fit ? label.substring(0, fit - 1).concat("\u2026") : label;
        out.append("<g class=\"fr ")
                .append(node.kind)
                .append("\" data-x=\"")
                .append(Svg.num(x))
                .append("\" data-w=\"")
                .append(Svg.num(width))
                .append("\" data-n=\"")
                .append(label.length())
                .append("\"><title>")
                .append(HtmlText.escape(tip))
                .append("</title><rect x=\"")
                .append(Svg.num(x))
                .append("\" y=\"")
                .append(level * ROW)
                .append("\" width=\"")
                .append(Svg.num(width))
                .append("\" height=\"")
                .append(ROW - 1)
                .append("\"/><text x=\"")
                .append(Svg.num(x + 3))
                .append("\" y=\"")
                .append(level * ROW + 13)
                .append("\">")
                .append(HtmlText.escape(shown))
                .append("</text></g>");
        double childX = x;
        List<Node> children = new ArrayList<>(node.children.values());
        children.sort(Comparator.comparingLong((Node child) -> child.bytes).reversed());
        for (Node child : children) {
            draw(out, child, childX, level + 1, total);
            childX += WIDTH * (double) child.bytes / total;
        }
    }

    private static boolean isJdk(String frame) {
        return frame.startsWith("java.")
                || frame.startsWith("javax.")
                || frame.startsWith("jdk.")
                || frame.startsWith("sun.")
                || frame.startsWith("com.sun.");
    }

    private static final class Node {
        final String label;
        final String kind;
        final Map<String, Node> children = new LinkedHashMap<>();
        long bytes;
        int level;
        boolean shown;

        Node(String label, String kind) {
            this.label = label;
            this.kind = kind;
        }

        int count() {
            int nodes = 1;
            for (Node child : children.values()) {
                nodes += child.count();
            }
            return nodes;
        }

        Node child(String label, String kind) {
            Node child = children.get(label);
            if (child == null) {
                child = new Node(label, kind);
                children.put(label, child);
            }
            return child;
        }
    }
}
