package dev.coe.router.expert;

import java.time.Duration;
import java.util.List;

/**
 * The shape of {@code config/experts.yaml}: shared defaults, then one entry per expert.
 * Property names are kebab-case in the file.
 */
record ExpertsFile(Defaults defaults, List<Entry> experts) {

    /** Values every expert inherits unless its own entry sets them. */
    record Defaults(Duration connectTimeout, Duration requestTimeout) {
    }

    record Entry(String id, String provider, String baseUrl, String model, String apiKeyEnv, String description,
                 Boolean enabled, Duration connectTimeout, Duration requestTimeout, CostEntry cost,
                 SimulationEntry simulation) {
    }

    record CostEntry(Double activeParamsB, Double inputUsdPerMillion, Double outputUsdPerMillion) {
    }

    record SimulationEntry(Duration firstTokenLatency, Double tokensPerSecond, Double errorRate, Integer answerTokens) {
    }
}
