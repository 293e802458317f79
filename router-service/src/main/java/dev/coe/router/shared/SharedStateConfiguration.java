package dev.coe.router.shared;

import dev.coe.gateway.cache.SharedAnswers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Optional;

/**
 * Connects to Redis when {@code coe.shared.redis-url} is set, for the response cache's shared level, the replicas'
 * notices and their shared token buckets. A Redis that cannot be reached at start is logged and done without: each
 * replica then caches and counts request rates alone, and routing changes still reach it through the database poll.
 * A gateway must not refuse to start over a cache.
 */
@Configuration(proxyBeanMethods = false)
class SharedStateConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SharedStateConfiguration.class);

    /** Holds the connection, if any, so that it is closed with the application. */
    record Redis(Optional<RedisState> state) implements AutoCloseable {
        @Override
        public void close() {
            state.ifPresent(RedisState::close);
        }
    }

    @Bean
    Redis redis(SharedStateProperties properties) {
        if (!properties.redisConfigured()) {
            log.info("shared state: no Redis (coe.shared.redis-url unset); the response cache is this replica's own, and "
                    + "routing versions made live elsewhere are picked up every {}", properties.pollInterval());
            return new Redis(Optional.empty());
        }
        try {
            RedisState state = RedisState.connect(properties.redisUrl(), properties.redisPrefix(), properties.redisTimeout());
            log.info("shared state: Redis connected (prefix '{}'): shared response cache and change notices on", properties.redisPrefix());
            return new Redis(Optional.of(state));
        } catch (RuntimeException e) {
            log.warn("shared state: Redis unreachable at start ({}); running without it: the response cache is this "
                    + "replica's own, and routing changes arrive through the database poll", e.getMessage());
            return new Redis(Optional.empty());
        }
    }

    @Bean
    SharedAnswers sharedAnswers(Redis redis) {
        return redis.state().map(RedisState::answers).orElse(SharedAnswers.NONE);
    }

    @Bean
    SharedBuckets sharedBuckets(Redis redis) {
        return redis.state().map(RedisState::buckets).orElse(SharedBuckets.NONE);
    }

    @Bean
    ReplicaEvents replicaEvents(Redis redis) {
        return redis.state().map(RedisState::events).orElse(ReplicaEvents.NONE);
    }
}
