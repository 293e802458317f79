package dev.coe.evaluation.run;

/**
 * The router's answer to one conversation and how it routed it, from the {@code x-coe-*} headers.
 *
 * @param category   the category the classifier chose (null for a request sent to an expert directly)
 * @param latencyMs  round trip measured by the client, router and expert included
 */
public record RoutedAnswer(String expert, String category, Double confidence, String content, double latencyMs) {
}
