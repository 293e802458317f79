package dev.coe.classifier;

import java.util.Objects;

/**
 * One category of the routing taxonomy (for example {@code coding} or {@code math}).
 * Immutable and thread-safe.
 *
 * @param id          short lower-case identifier used by the routing table
 * @param description what kind of prompt belongs here, shown to operators
 */
public record Category(String id, String description) {

    public Category {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("category id must not be blank");
        }
        description = description == null ? "" : description;
    }
}
