package dev.coe.gateway.load;

/**
 * One reading of a local engine's load, from its Prometheus metrics. Immutable.
 *
 * @param requestsWaiting requests queued and not yet scheduled ({@code vllm:num_requests_waiting}), summed over
 *                        the engine's data-parallel ranks
 * @param requestsRunning requests in the running batch ({@code vllm:num_requests_running}), summed likewise
 * @param kvCacheUsage    the fraction of KV-cache blocks in use, 0 to 1 ({@code vllm:kv_cache_usage_perc}, or
 *                        {@code vllm:gpu_cache_usage_perc} of vLLM before 0.10), the mean over the ranks; null when
 *                        the engine does not report it
 * @param scrapedAtNanos  when the reading was taken, on the monitor's nano-time source
 */
public record EngineLoad(int requestsWaiting, int requestsRunning, Double kvCacheUsage, long scrapedAtNanos) {

    public EngineLoad {
        if (requestsWaiting < 0 || requestsRunning < 0) {
            throw new IllegalArgumentException("request counts must be >= 0, but were waiting=" + requestsWaiting
                    + ", running=" + requestsRunning);
        }
    }
}
