package dev.coe.it;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One page of the Prometheus text format as a router served it: which series it has, by metric name and labels.
 * Immutable.
 */
record PrometheusPage(String text) {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** Every metric name with at least one sample on the page (comments ignored). */
    Set<String> metricNames() {
        return samples().map(m -> m.group(1)).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Whether some sample of {@code metric} carries {@code label="value"}. */
    boolean hasSeries(String metric, String label, String value) {
        return samples().filter(m -> m.group(1).equals(metric) && m.group(2) != null)
                .anyMatch(m -> value.equals(labels(m.group(2)).get(label)));
    }

    private Stream<Matcher> samples() {
        return Arrays.stream(text.split("\n")).filter(l -> !l.startsWith("#")).map(SAMPLE::matcher).filter(Matcher::find);
    }

    private static Map<String, String> labels(String set) {
        Matcher m = LABEL.matcher(set);
        Map<String, String> labels = new HashMap<>();
        while (m.find()) {
            labels.put(m.group(1), m.group(2));
        }
        return labels;
    }
}
