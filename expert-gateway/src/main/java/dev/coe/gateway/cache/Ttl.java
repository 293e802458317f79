package dev.coe.gateway.cache;

import java.time.Duration;

/** Validates the time to live given with an answer. */
final class Ttl {

    private Ttl() {
    }

    static Duration require(Duration ttl) {
        if (ttl == null || ttl.isZero() || ttl.isNegative()) {
            throw new IllegalArgumentException("ttl must be positive, but was " + ttl);
        }
        return ttl;
    }
}
