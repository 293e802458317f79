package dev.coe.gateway.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * The samples of one scrape in the Prometheus text exposition format (version 0.0.4, which vLLM's
 * {@code prometheus_client} writes), read tolerantly: {@code # HELP}, {@code # TYPE} and other comments and blank
 * lines are skipped, labels may hold escaped quotes, commas and braces, values may be {@code NaN}, {@code +Inf},
 * {@code -Inf} or in scientific notation, and an optional timestamp (or an OpenMetrics exemplar) after the value
 * is ignored. A line that cannot be read is skipped and counted, not fatal: one odd metric of an engine must not
 * hide the gauges that are needed. Immutable and thread-safe.
 * <p>
 * Why hand-written: the Prometheus Java client ({@code io.prometheus:prometheus-metrics-*}) only writes the
 * format, and the Java parsers on Maven Central ({@code org.github.jmazzitelli:prometheus-scraper} and its forks)
 * have had one release, years ago, and pull in an old protobuf model and JBoss Logging. Reading three gauges
 * needs about a hundred lines.
 */
final class PrometheusText {

    /** One sample line: the metric name, its labels and its value. */
    record Sample(String name, Map<String, String> labels, double value) {
        Sample {
            labels = Map.copyOf(labels);
        }
    }

    private static final Pattern FLOAT = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private final Map<String, List<Sample>> samples;
    private final int skippedLines;

    private PrometheusText(Map<String, List<Sample>> samples, int skippedLines) {
        this.samples = samples;
        this.skippedLines = skippedLines;
    }

    /** Reads a whole exposition; never throws for bad input. */
    static PrometheusText parse(String text) {
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        int skipped = 0;
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            Sample sample = new LineReader(trimmed).sample();
            if (sample == null) {
                skipped++;
            } else {
                samples.computeIfAbsent(sample.name(), name -> new ArrayList<>()).add(sample);
            }
        }
        samples.replaceAll((name, list) -> List.copyOf(list));
        return new PrometheusText(Map.copyOf(samples), skipped);
    }

    /** Every sample of a metric, in the order served; empty when there is none. */
    List<Sample> samples(String name) {
        return samples.getOrDefault(name, List.of());
    }

    /** The sum over all series of a metric (e.g. one per data-parallel engine), NaN samples left out. */
    OptionalDouble sum(String name) {
        return numbers(name).reduce(Double::sum);
    }

    /** The mean over all series of a metric, NaN samples left out; for fractions such as a cache usage. */
    OptionalDouble mean(String name) {
        return numbers(name).average();
    }

    /** The lines that were neither samples, comments nor blank. */
    int skippedLines() {
        return skippedLines;
    }

    private java.util.stream.DoubleStream numbers(String name) {
        return samples(name).stream().mapToDouble(Sample::value).filter(v -> !Double.isNaN(v));
    }

    static double parseValue(String token) {
        return switch (token) {
            case "NaN", "nan" -> Double.NaN;
            case "+Inf", "Inf", "+inf", "inf" -> Double.POSITIVE_INFINITY;
            case "-Inf", "-inf" -> Double.NEGATIVE_INFINITY;
            default -> {
                if (!FLOAT.matcher(token).matches()) {
                    throw new NumberFormatException("not a sample value: " + token);
                }
                yield Double.parseDouble(token);
            }
        };
    }

    /** Reads one non-comment line, character by character, because label values may contain any character. */
    private static final class LineReader {

        private final String line;
        private int at;

        LineReader(String line) {
            this.line = line;
        }

        /** The sample of the line, or null when the line is not one. */
        Sample sample() {
            try {
                String name = name();
                if (name.isEmpty()) {
                    return null;
                }
                Map<String, String> labels = new LinkedHashMap<>();
                skipBlanks();
                if (peek() == '{') {
                    at++;
                    labels(labels);
                }
                skipBlanks();
                int start = at;
                while (at < line.length() && !Character.isWhitespace(line.charAt(at))) {
                    at++;
                }
                return new Sample(name, labels, parseValue(line.substring(start, at)));
            } catch (IllegalArgumentException | IndexOutOfBoundsException notASample) {
                return null;
            }
        }

        private String name() {
            int start = at;
            while (at < line.length() && isNameChar(line.charAt(at), at == start)) {
                at++;
            }
            return line.substring(start, at);
        }

        private void labels(Map<String, String> labels) {
            while (true) {
                skipBlanks();
                if (peek() == '}') {
                    at++;
                    return;
                }
                String label = name();
                skipBlanks();
                expect('=');
                skipBlanks();
                expect('"');
                labels.put(label, quoted());
                skipBlanks();
                if (peek() == ',') {
                    at++;
                } else if (peek() != '}') {
                    throw new IllegalArgumentException("expected , or } at " + at);
                }
            }
        }

        /** The rest of a quoted label value, with {@code \\}, {@code \"} and {@code \n} unescaped. */
        private String quoted() {
            StringBuilder value = new StringBuilder();
            while (true) {
                char c = line.charAt(at++);
                if (c == '"') {
                    return value.toString();
                }
                if (c == '\\') {
                    char escaped = line.charAt(at++);
                    value.append(escaped == 'n' ? '\n' : escaped);
                } else {
                    value.append(c);
                }
            }
        }

        private void expect(char c) {
            if (peek() != c) {
                throw new IllegalArgumentException("expected " + c + " at " + at);
            }
            at++;
        }

        private char peek() {
            return line.charAt(at);
        }

        private void skipBlanks() {
            while (at < line.length() && (line.charAt(at) == ' ' || line.charAt(at) == '\t')) {
                at++;
            }
        }

        private static boolean isNameChar(char c, boolean first) {
            return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':' || !first && c >= '0' && c <= '9';
        }
    }
}
