package dev.coe.router.admin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The differences between two configurations, field by field, in a stable order (top-level fields, expert
 * definitions, then categories in taxonomy order). Stateless.
 */
final class ConfigDiff {

    /**
     * One changed field; {@code before} or {@code after} is null when the field was added or removed.
     *
     * @param path e.g. {@code fallbackChain} or {@code categories[coding].chain}
     */
    record Change(String path, Object before, Object after) {
    }

    private ConfigDiff() {
    }

    /** @param before null for the first version, which then differs in every field */
    static List<Change> between(RoutingConfig before, RoutingConfig after) {
        Map<String, Object> from = before == null ? Map.of() : flatten(before);
        Map<String, Object> to = flatten(after);
        Set<String> paths = new LinkedHashSet<>(from.keySet());
        paths.addAll(to.keySet());
        List<Change> changes = new ArrayList<>();
        for (String path : paths) {
            Object a = from.get(path);
            Object b = to.get(path);
            if (!Objects.equals(a, b)) {
                changes.add(new Change(path, a, b));
            }
        }
        return changes;
    }

    private static Map<String, Object> flatten(RoutingConfig c) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("routerModels", c.routerModels());
        fields.put("defaultThreshold", c.defaultThreshold());
        fields.put("fallbackChain", c.fallbackChain());
        fields.put("experts", c.experts());
        if (c.expertDefinitions() != null) {
            // One path per expert: a changed definition shows whole, before and after, as the dashboard renders it.
            fields.put("expertDefinitions.defaults", c.expertDefinitions().defaults());
            c.expertDefinitions().experts().stream().filter(Objects::nonNull)
                    .forEach(e -> fields.put("expertDefinitions[" + e.id() + "]", e));
        }
        for (CategoryConfig category : c.categories()) {
            String at = "categories[" + category.id() + "].";
            for (Map.Entry<String, Object> e : Arrays.asList(
                    Map.entry("description", (Object) category.description()),
                    entry("threshold", category.threshold()),
                    entry("fallback", category.fallback()),
                    entry("chain", category.chain()),
                    entry("cache", category.cache()))) {
                if (e.getValue() != null) {
                    fields.put(at + e.getKey(), e.getValue());
                }
            }
        }
        return fields;
    }

    /** Map.entry refuses nulls; a missing value is simply left out of the flat view. */
    private static Map.Entry<String, Object> entry(String key, Object value) {
        return new java.util.AbstractMap.SimpleImmutableEntry<>(key, value);
    }
}
