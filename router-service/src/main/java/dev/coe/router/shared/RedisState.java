package dev.coe.router.shared;

import dev.coe.gateway.cache.AnswerCodec;
import dev.coe.gateway.cache.CacheKey;
import dev.coe.gateway.cache.SharedAnswers;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The router's Redis: the shared second level of the response cache ({@code <prefix>:answer:<key>}, with the answer's
 * ttl as Redis expiry), the replicas' change notices (channel {@code <prefix>:events}) and their shared token buckets
 * ({@code <prefix>:rate:<name>}). Commands are asynchronous
 * (Lettuce); a cache read waits at most the configured timeout and counts a miss on any failure, a write never waits.
 * Lettuce reconnects by itself after Redis restarts. Thread-safe; close it to disconnect.
 */
public final class RedisState implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisState.class);

    private final RedisClient client;
    private final StatefulRedisConnection<String, byte[]> answers;
    private final StatefulRedisConnection<String, String> commands;
    // Its own connection, so that a rate check never queues behind a large cached answer.
    private final StatefulRedisConnection<String, byte[]> rates;
    private final AsyncProxyManager<String> buckets;
    private final StatefulRedisPubSubConnection<String, String> notices;
    private final String prefix;
    private final String channel;
    private final Duration timeout;
    private final Map<String, List<Runnable>> subscribers = new ConcurrentHashMap<>();
    private final ExecutorService listeners = Executors.newVirtualThreadPerTaskExecutor();

    private RedisState(RedisClient client, String prefix, Duration timeout) {
        this.client = client;
        this.prefix = prefix;
        this.channel = prefix + ":events";
        this.timeout = timeout;
        this.answers = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
        this.commands = client.connect(StringCodec.UTF8);
        this.rates = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
        // A bucket expires once it would be full again (plus a margin): a key that stops sending leaves nothing behind.
        this.buckets = Bucket4jLettuce.casBasedBuilder(rates)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                .build().asAsync().withMapper((String name) -> prefix + ":rate:" + name);
        this.notices = client.connectPubSub(StringCodec.UTF8);
        notices.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String from, String topic) {
                // Off Lettuce's event loop: a listener may read the database.
                subscribers.getOrDefault(topic, List.of()).forEach(listeners::execute);
            }
        });
        notices.sync().subscribe(channel);
    }

    /**
     * @throws io.lettuce.core.RedisConnectionException when Redis cannot be reached now
     */
    public static RedisState connect(String url, String prefix, Duration timeout) {
        RedisClient client = RedisClient.create(RedisURI.create(url));
        try {
            return new RedisState(client, prefix, timeout);
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
    }

    /** The response cache's shared second level. */
    public SharedAnswers answers() {
        return new SharedAnswers() {
            @Override
            public Optional<Shared> get(CacheKey key) {
                return read(key);
            }

            @Override
            public void put(CacheKey key, ChatResponse response, Duration ttl) {
                write(key, response, ttl);
            }
        };
    }

    /** The replicas' change notices. */
    public ReplicaEvents events() {
        return new ReplicaEvents() {
            @Override
            public void publish(String topic) {
                announce(topic);
            }

            @Override
            public void subscribe(String topic, Runnable onChange) {
                subscribers.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(onChange);
            }
        };
    }

    /** The replicas' shared token buckets. */
    public SharedBuckets buckets() {
        return () -> Optional.of(buckets);
    }

    private Optional<SharedAnswers.Shared> read(CacheKey key) {
        String k = answerKey(key);
        try {
            RedisFuture<byte[]> value = answers.async().get(k);
            RedisFuture<Long> ttl = answers.async().pttl(k);
            byte[] bytes = value.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            Long millis = ttl.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (bytes == null || millis == null || millis <= 0) {
                return Optional.empty();
            }
            return Optional.of(new SharedAnswers.Shared(AnswerCodec.decode(bytes), Duration.ofMillis(millis)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (Exception e) {
            log.debug("shared cache: read of {} failed, counted a miss: {}", k, e.toString());
            return Optional.empty();
        }
    }

    private void write(CacheKey key, ChatResponse response, Duration ttl) {
        try {
            answers.async().set(answerKey(key), AnswerCodec.encode(response), SetArgs.Builder.px(Math.max(1, ttl.toMillis())))
                    .exceptionally(e -> {
                        log.debug("shared cache: write failed: {}", e.toString());
                        return null;
                    });
        } catch (RuntimeException e) {
            log.debug("shared cache: write failed: {}", e.toString());
        }
    }

    private void announce(String topic) {
        try {
            commands.async().publish(channel, topic).exceptionally(e -> {
                log.warn("replica notice '{}' not sent ({}); other replicas see the change at their next poll", topic, e.toString());
                return null;
            });
        } catch (RuntimeException e) {
            log.warn("replica notice '{}' not sent ({}); other replicas see the change at their next poll", topic, e.toString());
        }
    }

    private String answerKey(CacheKey key) {
        // The codec's format is in the key: replicas of another version never read an answer they cannot decode.
        return prefix + ":answer:" + AnswerCodec.FORMAT + ":" + key.value();
    }

    @Override
    public void close() {
        listeners.shutdownNow();
        notices.close();
        commands.close();
        rates.close();
        answers.close();
        client.shutdown();
    }
}
