/**
 * The response cache for expert answers: {@link dev.coe.gateway.cache.ResponseCache} and its Caffeine
 * implementation {@link dev.coe.gateway.cache.CaffeineResponseCache}, keyed by
 * {@link dev.coe.gateway.cache.CacheKey} (a canonical hash of expert and request), with
 * {@link dev.coe.gateway.cache.CachePolicy} deciding from the request and the client's
 * {@link dev.coe.gateway.cache.CacheDirective} whether to read and whether to store, and
 * {@link dev.coe.gateway.cache.CachedStreams} for the streaming path. Plain Java, no Spring.
 */
package dev.coe.gateway.cache;
