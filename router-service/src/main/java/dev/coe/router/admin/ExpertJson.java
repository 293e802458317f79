package dev.coe.router.admin;

import dev.coe.router.expert.ExpertsFile;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.Set;

/**
 * Reads an expert definition sent to the admin API. Strict, unlike the rest of the JSON the router reads: a misspelt
 * field in an expert ({@code maxConcurentCalls}) would otherwise be dropped and the default silently kept, and an
 * API key pasted into the definition must be refused rather than stored. Stateless.
 */
final class ExpertJson {

    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    /** Field names that would carry a secret; keys come only from the environment variable named by apiKeyEnv. */
    private static final Set<String> SECRET_FIELDS = Set.of("apiKey", "api-key", "api_key", "key", "token", "secret");

    private ExpertJson() {
    }

    /**
     * @param pathId the id in the URL, which the body's id must match when it has one; null when creating
     * @throws AdminException.InvalidConfig (422) naming the field that is wrong
     */
    static ExpertsFile.Entry entry(JsonNode json, String pathId) {
        if (json == null || !json.isObject()) {
            throw AdminException.InvalidConfig.of("expert", "required",
                    "expert must be an object with the fields of an experts.yaml entry (camelCase)");
        }
        for (String secret : SECRET_FIELDS) {
            if (json.has(secret)) {
                // The message names the field only; the value is never echoed.
                throw AdminException.InvalidConfig.of("expert." + secret, "secret_refused", "secrets are never stored in the "
                        + "routing configuration; put the key in an environment variable and name it in apiKeyEnv");
            }
        }
        ExpertsFile.Entry entry;
        try {
            entry = STRICT.treeToValue(json, ExpertsFile.Entry.class);
        } catch (JacksonException e) {
            String path = JsonMismatch.path(e);
            throw AdminException.InvalidConfig.of(path.isEmpty() ? "expert" : "expert." + path, "invalid",
                    JsonMismatch.describe(e, "expert"));
        }
        String id = entry.id() == null || entry.id().isBlank() ? pathId : entry.id();
        if (id == null || id.isBlank()) {
            throw AdminException.InvalidConfig.of("expert.id", "required", "the expert needs an id");
        }
        if (pathId != null && !pathId.equals(id)) {
            throw AdminException.InvalidConfig.of("expert.id", "id_mismatch",
                    "the body's id '" + id + "' differs from the URL's '" + pathId + "'; an expert cannot be renamed, add a new one");
        }
        return id.equals(entry.id()) ? entry : new ExpertsFile.Entry(id, entry.provider(), entry.baseUrl(), entry.model(),
                entry.apiKeyEnv(), entry.description(), entry.enabled(), entry.connectTimeout(), entry.requestTimeout(),
                entry.cost(), entry.simulation(), entry.resilience(), entry.cache(), entry.load());
    }
}
