package dev.coe.router.shared;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * What router replicas share beyond their database.
 *
 * @param redisUrl     Redis for the response cache's shared second level and for change notices between replicas
 *                     (env {@code COE_REDIS_URL}, e.g. {@code redis://redis:6379}); unset: none, each replica alone
 * @param redisPrefix  prefix of every Redis key and channel, so several deployments can share one Redis
 * @param redisTimeout the longest a request waits for the shared cache before counting a miss
 * @param pollInterval how often each replica checks the database for a routing version made live elsewhere: the
 *                     safety net behind the Redis notices (which take milliseconds), and the only way without Redis
 */
@ConfigurationProperties("coe.shared")
public record SharedStateProperties(String redisUrl, @DefaultValue("coe") String redisPrefix,
                                    @DefaultValue("100ms") Duration redisTimeout, @DefaultValue("2s") Duration pollInterval) {

    public boolean redisConfigured() {
        return redisUrl != null && !redisUrl.isBlank();
    }

    /** Never shows the URL, which may carry a password. */
    @Override
    public String toString() {
        return "SharedStateProperties[redisUrl=" + (redisConfigured() ? "<set>" : "<none>") + ", redisPrefix=" + redisPrefix
                + ", redisTimeout=" + redisTimeout + ", pollInterval=" + pollInterval + "]";
    }
}
