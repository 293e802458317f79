/**
 * The machinery shared by the provider adapters, not part of the module's API: the one error mapper
 * ({@link dev.coe.gateway.internal.ExpertErrorMapper}), the exactly-once stream guard, the stream-close watch and
 * the Retry-After capture on langchain4j's HTTP client ({@link dev.coe.gateway.internal.RetryAfterCapture}), the
 * health probe, and the base class of the langchain4j-backed experts.
 */
package dev.coe.gateway.internal;
