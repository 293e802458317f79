/**
 * Load awareness for local engines: {@link dev.coe.gateway.load.EngineLoadMonitor} scrapes an engine's Prometheus
 * metrics (vLLM's {@code vllm:num_requests_waiting}, {@code vllm:num_requests_running} and
 * {@code vllm:kv_cache_usage_perc}) into an {@link dev.coe.gateway.load.EngineLoad} and says whether the engine is
 * over its {@link dev.coe.gateway.load.LoadLimits}, so that a router can send a request elsewhere before the
 * engine's queue grows. Plain Java, no Spring.
 */
package dev.coe.gateway.load;
