package dev.coe.gateway;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The identifier of an expert, as used in {@code config/experts.yaml}, in the routing table and as
 * the {@code model} a client may name to call that expert directly. Immutable and thread-safe.
 */
public record ExpertId(String value) implements Comparable<ExpertId> {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}");

    public ExpertId {
        Objects.requireNonNull(value, "value");
        if (!VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("expert id must be 1-128 characters of letters, digits and ._:/- "
                    + "starting with a letter or digit, but was '" + value + "'");
        }
    }

    public static ExpertId of(String value) {
        return new ExpertId(value);
    }

    @Override
    public int compareTo(ExpertId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
