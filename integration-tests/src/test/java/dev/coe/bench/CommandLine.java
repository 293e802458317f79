package dev.coe.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code --name=value} (or {@code --name value}) options for the benchmark's {@code main}s.
 * An argument holding several options separated by spaces is split first, because Maven passes
 * {@code -Dbench.args="--a=1 --b=2"} as one argument. Stateless.
 */
final class CommandLine {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|)");

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

    /**
     * A duration written as a whole number with a unit, {@code 500ms}, {@code 90s}, {@code 10m} or {@code 1h};
     * a bare number is seconds.
     *
     * @throws IllegalArgumentException naming the option when the value is not such a duration
     */
    static Duration durationOption(Map<String, String> options, String name, Duration fallback) {
        String value = options.get(name);
        if (value == null) {
            return fallback;
        }
        Matcher m = DURATION.matcher(value.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("--" + name + " must be a duration like 500ms, 90s, 10m or 1h, but was '" + value + "'");
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofSeconds(amount);
        };
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
