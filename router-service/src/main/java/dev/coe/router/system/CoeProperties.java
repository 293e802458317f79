package dev.coe.router.system;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of the router process itself; what to route where lives in the files under {@link #configDir()}.
 *
 * @param configDir           directory with {@code experts.yaml}, {@code routing.yaml}, {@code categories.yaml}
 *                            and {@code classifier/examples.jsonl}; relative paths resolve against the working directory
 * @param maxRequestSize      largest accepted request body; larger bodies get 413
 * @param requestDeadline     longest one chat request may take across its whole fallback chain
 * @param simulateExperts     replace every configured expert by a simulated one with the same id (the {@code demo}
 *                            profile sets this); every answer is then labelled as simulated
 * @param healthCheckInterval how often every expert is probed for the health endpoint
 * @param cacheMaxSize        bound on the response cache, by the estimated size of its answers; 0 turns it off
 * @param classifierMaxWait   longest a classification may wait for a free classifier thread (a tenth of it once the
 *                            queue has not been empty for that long); a request that would wait longer is answered by
 *                            the fallback chain, unclassified (routing reason {@code classifier_busy}), so that
 *                            overload does not build an ever longer queue
 * @param classifierOnnxThreads ONNX Runtime threads per forward pass of the classifier's embedding model. One (the
 *                            default) keeps each core on a pass of its own; a prompt of several sentences is already two
 *                            passes at once, so on two cores more threads only oversubscribe them (measured slower in
 *                            the router). For machines with more cores than passes in flight (category-classifier
 *                            README, "Threads per forward pass")
 * @param classifierVectorCache bound on the classifier's cache of text vectors (estimated memory of texts and vectors);
 *                            a chat's requests repeat its earlier turns, which the classifier mixes in, so with the cache
 *                            a request embeds only its new turn. {@code 0} turns it off
 * @param streamKeepAlive     how long a stream under way may stay quiet (a model thinking, a tool call being prepared)
 *                            before the router writes an SSE comment, so that load balancers and proxies that close idle
 *                            connections (often after 60 s) do not cut the answer off; {@code 0} turns it off
 * @param dataDir             where the router keeps what it writes: the admin API's version history (an H2 database,
 *                            {@code coe-admin.mv.db}) unless {@code spring.datasource.url} points elsewhere (the
 *                            {@code postgres} profile); relative paths resolve against the working directory
 */
@Validated
@ConfigurationProperties("coe")
public record CoeProperties(
        @NotNull @DefaultValue("config") Path configDir,
        @NotNull @DefaultValue("4MB") DataSize maxRequestSize,
        @NotNull @DefaultValue("300s") Duration requestDeadline,
        @DefaultValue("false") boolean simulateExperts,
        @NotNull @DefaultValue("30s") Duration healthCheckInterval,
        @NotNull @DefaultValue("64MB") DataSize cacheMaxSize,
        @NotNull @DefaultValue("250ms") Duration classifierMaxWait,
        @Min(1) @Max(64) @DefaultValue("1") int classifierOnnxThreads,
        @NotNull @DefaultValue("32MB") DataSize classifierVectorCache,
        @NotNull @DefaultValue("data") Path dataDir,
        @NotNull @DefaultValue("15s") Duration streamKeepAlive) {
}
