package dev.coe.router.system;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts failed admin logins per client address and says when an address has had too many. A failure is remembered
 * for {@code window} after the latest one, so an address that keeps guessing stays refused, and one that stops is let
 * in again a window later. This, not a slow password hash, is what makes guessing the admin password over HTTP
 * impractical (see {@link AdminPasswords}). The count is per router replica and bounded in memory (10,000 addresses).
 * Thread-safe.
 */
final class AdminLoginThrottle {

    private static final int MAX_ADDRESSES = 10_000;

    private final int maxFailures;
    private final Duration window;
    private final Cache<String, AtomicInteger> failures;

    /**
     * @param maxFailures failures after which an address is refused; 0 never refuses
     * @param window      how long a failure is remembered after the latest one from the same address
     * @param ticker      the clock of the window (a fake one in tests)
     */
    AdminLoginThrottle(int maxFailures, Duration window, Ticker ticker) {
        if (maxFailures < 0) {
            throw new IllegalArgumentException("maxFailures must be at least 0, but was " + maxFailures);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, but was " + window);
        }
        this.maxFailures = maxFailures;
        this.window = window;
        this.failures = Caffeine.newBuilder().maximumSize(MAX_ADDRESSES).expireAfterWrite(window).ticker(ticker).build();
    }

    /** One more failed login from {@code address}; restarts its window. */
    void failed(String address) {
        if (maxFailures > 0) {
            // compute() writes the entry, so that expireAfterWrite counts the window from this failure.
            failures.asMap().compute(address, (key, count) -> {
                AtomicInteger next = count == null ? new AtomicInteger() : count;
                next.incrementAndGet();
                return next;
            });
        }
    }

    /** How long {@code address} must wait before it may try again, or empty when it may try now. */
    Optional<Duration> retryAfter(String address) {
        if (maxFailures == 0) {
            return Optional.empty();
        }
        AtomicInteger count = failures.getIfPresent(address);
        if (count == null || count.get() < maxFailures) {
            return Optional.empty();
        }
        Duration age = failures.policy().expireAfterWrite().flatMap(p -> p.ageOf(address)).orElse(Duration.ZERO);
        Duration left = window.minus(age);
        return Optional.of(left.isNegative() ? Duration.ZERO : left);
    }
}
