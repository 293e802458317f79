package dev.coe.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/** Reads one series off a running router's {@code /actuator/prometheus}, as an operator's scraper would. */
final class PrometheusScrape {

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private PrometheusScrape() {
    }

    /** The sum of the series of {@code name} carrying every {@code label, value} pair given; 0 when none does. */
    static double value(RouterUnderTest router, String name, String... labels) throws IOException, InterruptedException {
        String page = http.send(HttpRequest.newBuilder(URI.create(router.baseUrl() + "/actuator/prometheus"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()).body();
        List<String> wanted = IntStream.range(0, labels.length / 2)
                .mapToObj(i -> labels[2 * i] + "=\"" + labels[2 * i + 1] + "\"").toList();
        return Arrays.stream(page.split("\n"))
                .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .filter(l -> wanted.stream().allMatch(l::contains))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
