package dev.coe.router.admin;

import dev.coe.router.expert.ExpertCatalog;
import dev.coe.router.expert.ExpertsFile;
import dev.coe.router.routing.CategoryCachePolicy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a {@link RoutingConfig} against the experts it defines (or, for a version that predates versioned experts, those
 * of {@code experts.yaml} at start) and the classifier's taxonomy, and lists
 * every problem at once with the field it is in, so an operator fixes a change in one round trip. Stateless and
 * thread-safe. A configuration it accepts always compiles through {@code RoutingTableLoader}.
 */
final class ConfigValidator {

    /** Longest category description accepted; descriptions are shown on one line. */
    static final int MAX_DESCRIPTION_LENGTH = 500;

    private final Set<String> knownExperts;
    private final List<String> taxonomy;

    /**
     * @param knownExperts ids of the experts the router started with, for versions that define none
     * @param taxonomy     the classifier's category ids, in order
     */
    ConfigValidator(Set<String> knownExperts, List<String> taxonomy) {
        this.knownExperts = Set.copyOf(knownExperts);
        this.taxonomy = List.copyOf(taxonomy);
    }

    List<FieldError> validate(RoutingConfig config) {
        List<FieldError> errors = new ArrayList<>();
        Set<String> defined = config.expertDefinitions() == null ? knownExperts : definitions(config.expertDefinitions(), errors);
        Set<String> roster = experts(config.experts(), defined, errors);
        ids("routerModels", config.routerModels(), errors);
        threshold("defaultThreshold", config.defaultThreshold(), true, errors);
        chain("fallbackChain", config.fallbackChain(), roster, errors);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < config.categories().size(); i++) {
            CategoryConfig c = config.categories().get(i);
            if (c == null) {
                errors.add(new FieldError("categories[" + i + "]", "required", "every category must be an object with an 'id'"));
                continue;
            }
            String at = "categories[" + c.id() + "]";
            if (c.id() == null || !taxonomy.contains(c.id())) {
                errors.add(new FieldError(at + ".id", "unknown_category",
                        "unknown category '" + c.id() + "'; the classifier's categories are " + taxonomy));
                continue;
            }
            if (!seen.add(c.id())) {
                errors.add(new FieldError(at + ".id", "duplicate_id", "category '" + c.id() + "' is listed twice"));
                continue;
            }
            category(at, c, roster, errors);
        }
        for (String id : taxonomy) {
            if (!seen.contains(id) && config.categories().stream().noneMatch(c -> c != null && id.equals(c.id()))) {
                errors.add(new FieldError("categories", "missing_category", "category '" + id + "' is missing"));
            }
        }
        return errors;
    }

    private void category(String at, CategoryConfig c, Set<String> roster, List<FieldError> errors) {
        if (c.description().length() > MAX_DESCRIPTION_LENGTH) {
            errors.add(new FieldError(at + ".description", "too_long",
                    "description must be at most " + MAX_DESCRIPTION_LENGTH + " characters, but was " + c.description().length()));
        }
        threshold(at + ".threshold", c.threshold(), false, errors);
        if (c.fallback() != null) {
            expert(at + ".fallback", c.fallback(), roster, errors);
        }
        if (c.hasRule()) {
            chain(at + ".chain", c.chain(), roster, errors);
        } else if (c.threshold() != null || c.fallback() != null || c.cache() != null) {
            // routing.yaml keeps threshold, fallback and cache on the rule: without a chain they could not be exported.
            errors.add(new FieldError(at + ".chain", "rule_required",
                    "category '" + c.id() + "' has no rule; a threshold, fallback or cache policy needs a chain"));
        }
        if (c.cache() != null) {
            try {
                CategoryCachePolicy.fromConfigName(c.cache());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(at + ".cache", "unknown_cache_policy", e.getMessage()));
            }
        }
    }

    /**
     * Checks each definition as {@code experts.yaml} would be checked at start (provider, URL, durations, resilience),
     * and returns the ids of the enabled ones: the experts the version would build.
     */
    private static Set<String> definitions(ExpertsFile file, List<FieldError> errors) {
        Set<String> enabled = new HashSet<>();
        Set<String> seen = new HashSet<>();
        if (file.experts().isEmpty()) {
            errors.add(new FieldError("expertDefinitions.experts", "empty", "at least one expert must be defined"));
        }
        for (int i = 0; i < file.experts().size(); i++) {
            ExpertsFile.Entry entry = file.experts().get(i);
            String id = entry == null ? null : entry.id();
            if (id == null || id.isBlank()) {
                errors.add(new FieldError("expertDefinitions.experts[" + i + "].id", "required", "every expert needs an id"));
                continue;
            }
            String at = "expertDefinitions.experts[" + id + "]";
            if (!seen.add(id)) {
                errors.add(new FieldError(at + ".id", "duplicate_id", "expert '" + id + "' is defined twice"));
                continue;
            }
            try {
                ExpertCatalog.config(entry, file.defaults());
            } catch (IllegalArgumentException invalid) {
                // Still counted as defined: its one mistake is reported once, not again at every place naming it.
                errors.add(new FieldError(at, "invalid_expert", invalid.getMessage()));
            }
            if (entry.enabled() == null || entry.enabled()) {
                enabled.add(id);
            }
        }
        return enabled;
    }

    private static Set<String> experts(List<String> experts, Set<String> defined, List<FieldError> errors) {
        Set<String> roster = new HashSet<>();
        for (int i = 0; i < experts.size(); i++) {
            String id = experts.get(i);
            if (id == null || !defined.contains(id)) {
                errors.add(new FieldError("experts[" + i + "]", "unknown_expert",
                        "unknown expert '" + id + "'; the version defines " + sorted(defined)));
            } else if (!roster.add(id)) {
                errors.add(new FieldError("experts[" + i + "]", "duplicate_id", "expert '" + id + "' is listed twice"));
            }
        }
        return roster;
    }

    private static void ids(String at, List<String> ids, List<FieldError> errors) {
        if (ids.isEmpty()) {
            errors.add(new FieldError(at, "empty", at + " must name at least one model (e.g. 'auto')"));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            if (id == null || id.isBlank()) {
                errors.add(new FieldError(at + "[" + i + "]", "blank", "must not be blank"));
            } else if (!seen.add(id)) {
                errors.add(new FieldError(at + "[" + i + "]", "duplicate_id", "'" + id + "' is listed twice"));
            }
        }
    }

    private static void chain(String at, List<String> chain, Set<String> roster, List<FieldError> errors) {
        if (chain.isEmpty()) {
            errors.add(new FieldError(at, "empty_chain", at + " must name at least one expert"));
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < chain.size(); i++) {
            String id = chain.get(i);
            if (expert(at + "[" + i + "]", id, roster, errors) && !seen.add(id)) {
                errors.add(new FieldError(at + "[" + i + "]", "duplicate_expert", "expert '" + id + "' is in " + at + " twice"));
            }
        }
    }

    private static boolean expert(String at, String id, Set<String> roster, List<FieldError> errors) {
        if (id == null) {
            errors.add(new FieldError(at, "unknown_expert", at + " must name an expert, not null; routing may use "
                    + sorted(roster)));
            return false;
        }
        if (!roster.contains(id)) {
            errors.add(new FieldError(at, "unknown_expert", "unknown expert '" + id + "'; routing may use " + sorted(roster)));
            return false;
        }
        return true;
    }

    private static void threshold(String at, Double value, boolean required, List<FieldError> errors) {
        if (value == null) {
            if (required) {
                errors.add(new FieldError(at, "required", at + " is required"));
            }
        } else if (!(value >= 0 && value <= 1)) {
            errors.add(new FieldError(at, "threshold_out_of_range", at + " must be between 0 and 1, but was " + value));
        }
    }

    private static List<String> sorted(Set<String> ids) {
        return ids.stream().sorted().toList();
    }
}
