package dev.coe.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code --name=value} (or {@code --name value}) options for the benchmark's {@code main}s.
 * An argument holding several options separated by spaces is split first, because Maven passes
 * {@code -Dbench.args="--a=1 --b=2"} as one argument. Stateless.
 */
final class CommandLine {

    private CommandLine() {
    }

    /**
     * @throws IllegalArgumentException naming the argument that is not an option
     */
    static Map<String, String> parse(String[] args) {
        String[] words = String.join(" ", args).trim().split("\\s+");
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < words.length; i++) {
            String word = words[i];
            if (word.isEmpty()) {
                continue;
            }
            if (!word.startsWith("--") || word.length() == 2) {
                throw new IllegalArgumentException("expected an option like --name=value, but was '" + word + "'");
            }
            int eq = word.indexOf('=');
            if (eq > 0) {
                options.put(word.substring(2, eq), word.substring(eq + 1));
            } else if (i + 1 < words.length && !words[i + 1].startsWith("--")) {
                options.put(word.substring(2), words[++i]);
            } else {
                options.put(word.substring(2), "true");
            }
        }
        return options;
    }

    /**
     * @throws IllegalArgumentException naming the first option that is not one of {@code known}
     */
    static void rejectUnknown(Map<String, String> options, String... known) {
        Set<String> allowed = Set.of(known);
        for (String name : options.keySet()) {
            if (!allowed.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name + "; known options: --" + String.join(", --", known));
            }
        }
    }

    static long longOption(Map<String, String> options, String name, long fallback) {
        String value = options.get(name);
        try {
            return value == null ? fallback : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, but was '" + value + "'");
        }
    }

    static double doubleOption(Map<String, String> options, String name, double fallback) {
        String value = options.get(name);
        try {
            return value == null ? fallback : Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, but was '" + value + "'");
        }
    }
}
