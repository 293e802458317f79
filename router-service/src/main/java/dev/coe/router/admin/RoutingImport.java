package dev.coe.router.admin;

import dev.coe.classifier.Category;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Imports a {@code routing.yaml} written elsewhere (the mapping optimizer's draft, or an operator's file) as a draft
 * version: read against the live version's taxonomy and experts, validated like any other change, and shown as a diff
 * against the live version. Applying it is the ordinary {@code POST /admin/api/versions/{n}/apply}, so the history and
 * roll-back work as for every change. Thread-safe (all state is in {@link RoutingVersions}).
 *
 * <p>Throws {@link AdminException.InvalidConfig} (422) when the text is not a routing file, names a category the
 * taxonomy does not have (a draft fitted for another taxonomy would otherwise lose its rules silently), has two rules
 * for one category, or breaks a rule of {@link ConfigValidator}.
 */
final class RoutingImport {

    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    /**
     * @param draft   the saved draft, or null for a dry run
     * @param live    the live version number the diff is taken against
     * @param changes what applying the draft would change
     */
    record Result(VersionView draft, long live, RoutingConfig config, List<ConfigDiff.Change> changes) {
    }

    private final RoutingVersions versions;

    RoutingImport(RoutingVersions versions) {
        this.versions = versions;
    }

    /** Reads and validates {@code routingYaml}; saves it as a draft unless {@code dryRun}. */
    Result importDraft(String routingYaml, String author, String comment, boolean dryRun) {
        ConfigVersion live = versions.live();
        RoutingConfig config = read(routingYaml, live.config());
        if (dryRun) {
            List<FieldError> errors = versions.validate(config);
            if (!errors.isEmpty()) {
                throw new AdminException.InvalidConfig(errors);
            }
            return new Result(null, live.number(), config, ConfigDiff.between(live.config(), config));
        }
        String why = comment == null || comment.isBlank() ? "imported routing.yaml" : comment;
        ConfigVersion saved = versions.submit(config, author, why, true, null);
        return new Result(VersionView.of(saved, versions.live().number(), versions.diff(saved)), versions.live().number(),
                config, ConfigDiff.between(versions.version(saved.parent()).config(), config));
    }

    private static RoutingConfig read(String text, RoutingConfig live) {
        if (text == null || text.isBlank()) {
            throw AdminException.InvalidConfig.of("routing.yaml", "empty", "the body must be a routing.yaml, but was empty");
        }
        List<String> taxonomy = live.categories().stream().map(CategoryConfig::id).toList();
        List<FieldError> errors = new ArrayList<>();
        try {
            JsonNode root = YAML.readTree(text);
            Set<String> seen = new HashSet<>();
            JsonNode rules = root == null ? null : root.get("rules");
            if (rules != null && rules.isArray()) {
                for (int i = 0; i < rules.size(); i++) {
                    String category = rules.get(i).path("category").asString("");
                    if (!taxonomy.contains(category)) {
                        errors.add(new FieldError("rules[" + i + "].category", "unknown_category", "category '" + category
                                + "' is not in the taxonomy " + taxonomy + "; a draft for another taxonomy cannot be imported"));
                    } else if (!seen.add(category)) {
                        errors.add(new FieldError("rules[" + i + "].category", "duplicate_rule",
                                "category '" + category + "' has more than one rule"));
                    }
                }
            }
        } catch (JacksonException e) {
            throw AdminException.InvalidConfig.of("routing.yaml", "not_yaml", "routing.yaml is not valid YAML: "
                    + e.getOriginalMessage());
        }
        if (!errors.isEmpty()) {
            throw new AdminException.InvalidConfig(errors);
        }
        try {
            List<Category> categories = live.categories().stream().map(c -> new Category(c.id(), c.description())).toList();
            return RoutingYaml.read(text, categories, live.experts());
        } catch (IllegalArgumentException e) {
            throw AdminException.InvalidConfig.of("routing.yaml", "not_routing_file", e.getMessage());
        }
    }
}
