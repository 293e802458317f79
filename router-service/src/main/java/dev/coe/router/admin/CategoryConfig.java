package dev.coe.router.admin;

import java.util.Collections;
import java.util.ArrayList;
import java.util.List;

/**
 * One category of the taxonomy and its routing rule. Immutable.
 *
 * @param id          category id from the classifier's taxonomy ({@code categories.yaml})
 * @param description shown to operators
 * @param threshold   confidence below which this category counts as uncertain; null means the default threshold
 * @param fallback    expert tried first when uncertain, before the fallback chain; may be null
 * @param chain       experts tried in order; null when the category has no rule (it then uses the fallback chain)
 * @param cache       the category's cache policy ({@code deterministic}, {@code always}, {@code off}); null: deterministic
 */
public record CategoryConfig(String id, String description, Double threshold, String fallback, List<String> chain,
                             String cache) {

    public CategoryConfig(String id, String description, Double threshold, String fallback, List<String> chain) {
        this(id, description, threshold, fallback, chain, null);
    }

    public CategoryConfig {
        description = description == null ? "" : description;
        chain = chain == null ? null : Collections.unmodifiableList(new ArrayList<>(chain));
    }

    boolean hasRule() {
        return chain != null;
    }
}
