package dev.coe.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of {@code /actuator/prometheus}, parsed just enough to add up series: each sample line's name,
 * labels and value (comments and timestamps are skipped). Immutable and thread-safe.
 */
final class PrometheusText {

    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One sample line. */
    record Series(String name, Map<String, String> labels, double value) {
    }

    private final List<Series> series;

    private PrometheusText(List<Series> series) {
        this.series = series;
    }

    /**
     * Reads and parses the page at {@code url}.
     *
     * @throws IllegalStateException when it cannot be read or does not answer with 200
     */
    static PrometheusText scrape(HttpClient client, URI url, Duration timeout) throws InterruptedException {
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(url).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(url + " answered " + response.statusCode());
            }
            return parse(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + url + ": " + e, e);
        }
    }

    /**
     * @throws IllegalArgumentException naming the first line that is not a sample
     */
    static PrometheusText parse(String page) {
        List<Series> series = new ArrayList<>();
        for (String line : page.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            String name;
            Map<String, String> labels = new LinkedHashMap<>();
            String rest;
            if (brace >= 0 && (space < 0 || brace < space)) {
                int close = line.lastIndexOf('}');
                if (close < brace) {
                    throw new IllegalArgumentException("not a Prometheus sample: " + line);
                }
                name = line.substring(0, brace);
                Matcher m = LABEL.matcher(line.substring(brace + 1, close));
                while (m.find()) {
                    labels.put(m.group(1), m.group(2));
                }
                rest = line.substring(close + 1).trim();
            } else if (space > 0) {
                name = line.substring(0, space);
                rest = line.substring(space + 1).trim();
            } else {
                throw new IllegalArgumentException("not a Prometheus sample: " + line);
            }
            String value = rest.split("\\s+")[0];
            series.add(new Series(name, labels, parseValue(value, line)));
        }
        return new PrometheusText(series);
    }

    /**
     * The sum of every series called {@code name} whose labels include all of {@code labels} (name, value, name,
     * value...); 0 when none matches.
     */
    double sum(String name, String... labels) {
        return matching(name, labels).stream().mapToDouble(Series::value).sum();
    }

    /** Whether any series is called {@code name}. */
    boolean has(String name) {
        return series.stream().anyMatch(s -> s.name().equals(name));
    }

    /** The sums of the series called {@code name} (filtered as in {@link #sum}), grouped by the value of {@code label}. */
    Map<String, Double> sumBy(String name, String label, String... labels) {
        Map<String, Double> sums = new TreeMap<>();
        for (Series s : matching(name, labels)) {
            sums.merge(s.labels().getOrDefault(label, ""), s.value(), Double::sum);
        }
        return sums;
    }

    /** The value of {@code label} on the first series called {@code name} that matches and whose value is 1. */
    Optional<String> labelWhereOne(String name, String label, String... labels) {
        return matching(name, labels).stream().filter(s -> s.value() == 1.0).map(s -> s.labels().get(label)).findFirst();
    }

    private List<Series> matching(String name, String... labels) {
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name, value pairs, but " + labels.length + " were given");
        }
        return series.stream()
                .filter(s -> s.name().equals(name))
                .filter(s -> {
                    for (int i = 0; i < labels.length; i += 2) {
                        if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
                            return false;
                        }
                    }
                    return true;
                })
                .toList();
    }

    private static double parseValue(String value, String line) {
        return switch (value) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> {
                try {
                    yield Double.parseDouble(value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not a Prometheus sample value '" + value + "' in: " + line);
                }
            }
        };
    }
}
