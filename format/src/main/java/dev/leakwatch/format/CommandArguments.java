package dev.leakwatch.format;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One command's arguments as the JDK's own tools take them: {@code --opt value} and {@code --opt=value} alike,
 * {@code --help} or {@code -h} anywhere, {@code --} before an operand that starts with a dash. A repeated option's
 * last value counts. Shared by the analyzer's command line and the attach client in the agent jar, which carries no
 * other command-line code.
 */
public record CommandArguments(List<String> operands, Map<String, String> options, boolean help) {
    public static final String HELP = "--help";

    /**
     * @param known the options that take a value, e.g. {@code --format}
     * @param seeHelp what to type for help, quoted in the message of a mistake
     * @throws UsageError on an unknown option or a missing value, with a one-line message for the user
     */
    public static CommandArguments parse(List<String> args, List<String> known, String seeHelp) throws UsageError {
        if (args.contains(HELP) || args.contains("-h")) {
            return new CommandArguments(List.of(), Map.of(), true);
        }
        List<String> operands = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                operands.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (arg.length() < 2 || !arg.startsWith("-")) {
                operands.add(arg);
                continue;
            }
            int equals = arg.indexOf('=');
            String name = equals < 0 ? arg : arg.substring(0, equals);
            if (!known.contains(name)) {
                List<String> all = new ArrayList<>(known);
                all.add(HELP);
                throw new UsageError(
                        "unknown option '" + arg + "' (options: " + String.join(", ", all) + "; see: " + seeHelp + ")");
            }
            if (equals >= 0) {
                options.put(name, arg.substring(equals + 1));
            } else if (i + 1 < args.size()) {
                options.put(name, args.get(++i));
            } else {
                throw new UsageError(name + " needs a value (see: " + seeHelp + ")");
            }
        }
        return new CommandArguments(List.copyOf(operands), Map.copyOf(options), false);
    }

    /** A command line the user got wrong; the message says what and where to look. */
    public static final class UsageError extends Exception {
        private static final long serialVersionUID = 1L;

        UsageError(String message) {
            super(message, null, false, false);
        }
    }
}
