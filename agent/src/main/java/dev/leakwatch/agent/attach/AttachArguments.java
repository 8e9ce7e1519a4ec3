package dev.leakwatch.agent.attach;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One command's arguments as the JDK's own tools take them: {@code --opt value} and {@code --opt=value} alike,
 * {@code --help} or {@code -h} anywhere, {@code --} before an operand that starts with a dash. A repeated option's
 * last value counts. (The analyzer's command line parses the same way; the two jars share no command-line code, so
 * that the agent jar carries nothing it does not run.)
 */
record AttachArguments(List<String> operands, Map<String, String> options, boolean help) {
    static final String HELP = "--help";

    /**
     * @param known the options that take a value, e.g. {@code --format}
     * @param seeHelp what to type for help, quoted in the message of a mistake
     */
    static AttachArguments parse(List<String> args, List<String> known, String seeHelp) throws AttachException {
        if (args.contains(HELP) || args.contains("-h")) {
            return new AttachArguments(List.of(), Map.of(), true);
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
                throw new AttachException(
                        AttachExit.USAGE,
                        "unknown option '" + arg + "' (options: " + String.join(", ", all) + "; see: " + seeHelp + ")");
            }
            if (equals >= 0) {
                options.put(name, arg.substring(equals + 1));
            } else if (i + 1 < args.size()) {
                options.put(name, args.get(++i));
            } else {
                throw new AttachException(AttachExit.USAGE, name + " needs a value (see: " + seeHelp + ")");
            }
        }
        return new AttachArguments(List.copyOf(operands), Map.copyOf(options), false);
    }
}
