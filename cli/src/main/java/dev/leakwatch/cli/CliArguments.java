package dev.leakwatch.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One command's arguments as the JDK's own tools take them: {@code --opt value} and {@code --opt=value} alike,
 * {@code --help} or {@code -h} anywhere, {@code --} before an operand that starts with a dash. A repeated option's
 * last value counts.
 */
record CliArguments(List<String> operands, Map<String, String> options, boolean help) {
    static final String HELP = "--help";

    /**
     * @param known the options that take a value, e.g. {@code --format}
     * @param seeHelp what to type for help, quoted in the message of a mistake
     * @throws AnalyzerCommand.UsageException on an unknown option or a missing value
     */
    static CliArguments parse(List<String> args, List<String> known, String seeHelp)
            throws AnalyzerCommand.UsageException {
        if (args.contains(HELP) || args.contains("-h")) {
            return new CliArguments(List.of(), Map.of(), true);
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
                throw new AnalyzerCommand.UsageException("unknown option '" + arg + "' (options: "
                        + String.join(", ", known) + ", " + HELP + "; see: " + seeHelp + ")");
            }
            if (equals >= 0) {
                options.put(name, arg.substring(equals + 1));
            } else if (i + 1 < args.size()) {
                options.put(name, args.get(++i));
            } else {
                throw new AnalyzerCommand.UsageException(name + " needs a value (see: " + seeHelp + ")");
            }
        }
        return new CliArguments(List.copyOf(operands), Map.copyOf(options), false);
    }
}
