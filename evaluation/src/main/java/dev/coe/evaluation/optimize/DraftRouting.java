package dev.coe.evaluation.optimize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a mapping into a draft {@code routing.yaml} in the format of {@code config/}, which the admin API can import
 * as a draft version ({@code POST /admin/api/versions/import}) and show as a diff against the live one. Each chain
 * starts with the chosen expert and keeps the live chain's other experts behind it as fallbacks (they serve only when
 * the chosen one fails, so they do not change the expected quality); router models, the fallback chain and the
 * thresholds are kept from the live file. Stateless.
 */
public final class DraftRouting {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private DraftRouting() {
    }

    /**
     * @param live   the live {@code routing.yaml} text, or empty to start from nothing
     * @param header comment lines put above the YAML (how the draft was made, its held-out figures)
     */
    public static String yaml(Map<String, String> mapping, Optional<String> live, String header) {
        try {
            JsonNode base = live.isPresent() ? YAML.readTree(live.get()) : YAML.createObjectNode();
            Map<String, JsonNode> liveRules = new LinkedHashMap<>();
            base.path("rules").forEach(r -> liveRules.put(r.path("category").asText(), r));
            ObjectNode out = YAML.createObjectNode();
            out.set("router-models", base.has("router-models") ? base.get("router-models")
                    : YAML.createArrayNode().add("auto"));
            if (base.has("fallback-chain")) {
                out.set("fallback-chain", base.get("fallback-chain"));
            }
            if (base.has("default-threshold")) {
                out.set("default-threshold", base.get("default-threshold"));
            }
            ArrayNode rules = out.putArray("rules");
            mapping.forEach((category, expert) -> {
                ObjectNode rule = rules.addObject();
                rule.put("category", category);
                List<String> chain = new ArrayList<>(List.of(expert));
                JsonNode old = liveRules.get(category);
                if (old != null) {
                    old.path("chain").forEach(e -> {
                        if (!chain.contains(e.asText())) {
                            chain.add(e.asText());
                        }
                    });
                }
                ArrayNode chainNode = rule.putArray("chain");
                chain.forEach(chainNode::add);
                if (old != null && old.has("threshold")) {
                    rule.set("threshold", old.get("threshold"));
                }
                if (old != null && old.has("fallback")) {
                    rule.set("fallback", old.get("fallback"));
                }
            });
            StringBuilder text = new StringBuilder();
            header.lines().forEach(line -> text.append("# ").append(line).append('\n'));
            return text + YAML.writeValueAsString(out);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new OptimizerException.InvalidInput("live routing.yaml is not valid YAML: " + e.getOriginalMessage(), e);
        }
    }

    /** The live mapping of a {@code routing.yaml}: each category's first chain expert, else the fallback chain's first. */
    public static Map<String, String> liveMapping(String routingYaml, List<String> categories) {
        try {
            JsonNode root = YAML.readTree(routingYaml);
            String fallback = root.path("fallback-chain").path(0).asText(null);
            Map<String, String> out = new LinkedHashMap<>();
            for (String c : categories) {
                String first = null;
                for (JsonNode rule : root.path("rules")) {
                    if (rule.path("category").asText().equals(c)) {
                        first = rule.path("chain").path(0).asText(null);
                    }
                }
                String chosen = first != null ? first : fallback;
                if (chosen != null) {
                    out.put(c, chosen);
                }
            }
            return out;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new OptimizerException.InvalidInput("routing.yaml is not valid YAML: " + e.getOriginalMessage(), e);
        }
    }
}
