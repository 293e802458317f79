package dev.coe.gateway;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The experts the router knows, by id, in config order. Immutable and thread-safe: a new routing
 * version builds a new registry rather than changing this one.
 */
public final class ExpertRegistry {

    private final Map<ExpertId, Expert> experts;

    private ExpertRegistry(Map<ExpertId, Expert> experts) {
        this.experts = Collections.unmodifiableMap(experts);
    }

    /**
     * @throws IllegalArgumentException if two experts share an id
     */
    public static ExpertRegistry of(Collection<? extends Expert> experts) {
        Map<ExpertId, Expert> byId = new LinkedHashMap<>();
        for (Expert expert : experts) {
            if (byId.putIfAbsent(expert.id(), expert) != null) {
                throw new IllegalArgumentException("duplicate expert id '" + expert.id() + "'");
            }
        }
        return new ExpertRegistry(byId);
    }

    /** The expert with this id, or empty when there is none (or the text is not a valid id at all). */
    public Optional<Expert> findExpert(String id) {
        try {
            return id == null ? Optional.empty() : Optional.ofNullable(experts.get(ExpertId.of(id)));
        } catch (IllegalArgumentException notAnId) {
            return Optional.empty();
        }
    }

    /**
     * @throws UnknownExpertException if no expert has this id
     */
    public Expert expert(ExpertId id) {
        Expert expert = experts.get(id);
        if (expert == null) {
            throw new UnknownExpertException(id.value());
        }
        return expert;
    }

    public Collection<Expert> all() {
        return experts.values();
    }

    public boolean contains(ExpertId id) {
        return experts.containsKey(id);
    }
}
