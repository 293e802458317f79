package dev.coe.router.apikey;

import java.time.Instant;
import java.util.Set;

/**
 * A client's API key as stored: never the key itself, only its hash and a short prefix to recognise it by. Immutable.
 *
 * @param id                public id ({@code key_…}), used by the admin API and in logs
 * @param prefix            the key's first characters, shown so that an operator can tell keys apart
 * @param allowedModels     models the key may ask for (router models such as {@code auto}, or expert ids); empty: all
 * @param allowedCategories categories its routed requests may fall in; empty: all
 * @param requestsPerMinute null: no request rate limit
 * @param tokensPerMinute   tokens (prompt and completion) per minute; null: no token rate limit
 * @param tokenBudget       total tokens (prompt and completion) the key may use; null: no budget
 * @param tokensUsed        tokens used so far, as stored (this replica's unsaved usage is kept apart)
 * @param expiresAt         when the key stops working by itself; null: never
 * @param revokedAt         null until the key is revoked
 */
public record ClientKey(String id, String name, String hash, String prefix, Set<String> allowedModels,
                        Set<String> allowedCategories, Integer requestsPerMinute, Integer tokensPerMinute, Long tokenBudget,
                        long tokensUsed,
                        String createdBy, Instant createdAt, Instant expiresAt, Instant revokedAt) {

    public ClientKey {
        allowedModels = Set.copyOf(allowedModels);
        allowedCategories = Set.copyOf(allowedCategories);
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    public boolean expired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    boolean allowsModel(String model) {
        return allowedModels.isEmpty() || allowedModels.contains(model);
    }

    boolean allowsCategory(String category) {
        return allowedCategories.isEmpty() || allowedCategories.contains(category);
    }
}
