package dev.coe.gateway.cache;

/**
 * A snapshot of a response cache's counters. Immutable.
 *
 * @param hits        lookups answered from a stored answer or from an identical call in flight
 * @param misses      lookups that found nothing
 * @param evictions   answers dropped for space or because their time to live ran out
 * @param entries     answers held now, calls in flight included (an estimate)
 * @param weightBytes estimated memory held by the stored answers, in bytes
 */
public record CacheStats(long hits, long misses, long evictions, long entries, long weightBytes) {

    public static final CacheStats EMPTY = new CacheStats(0, 0, 0, 0, 0);

    /** Hits over all lookups; 0 before the first lookup. */
    public double hitRate() {
        long lookups = hits + misses;
        return lookups == 0 ? 0.0 : (double) hits / lookups;
    }
}
