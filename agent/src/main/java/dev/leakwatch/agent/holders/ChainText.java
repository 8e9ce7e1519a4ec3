package dev.leakwatch.agent.holders;

import dev.leakwatch.format.report.RetentionChain;
import java.util.Locale;

/** A chain on one line, for {@code status}, the MBean and JFR; escaped by whoever prints it to a terminal. */
public final class ChainText {
    private ChainText() {}

    public static String oneLine(RetentionChain chain) {
        StringBuilder out = new StringBuilder();
        out.append(chain.rootKind()).append(' ').append(chain.root()).append(": ");
        RetentionChain.Container container = chain.container();
        for (int i = 0; i < chain.chain().size(); i++) {
            out.append(i == 0 ? "" : " -> ").append(chain.chain().get(i));
            if (container != null && container.chainIndex() == i) {
                out.append(" [grows: ").append(container.className());
                if (container.growthEntriesPerMinute() != null) {
                    out.append(String.format(Locale.ROOT, ", %+,.0f entries/min", container.growthEntriesPerMinute()));
                }
                out.append(']');
            }
        }
        return out.append(" (")
                .append(chain.objects())
                .append(chain.objects() == 1 ? " object)" : " objects)")
                .toString();
    }
}
