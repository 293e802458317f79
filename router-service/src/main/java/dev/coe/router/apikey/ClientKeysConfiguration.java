package dev.coe.router.apikey;

import dev.coe.router.shared.ReplicaEvents;
import dev.coe.router.shared.SharedBuckets;
import dev.coe.router.shared.SharedStateProperties;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Wires client keys: the store beside the routing versions, the in-memory view, its refresh, and the check on /v1/**. */
@Configuration(proxyBeanMethods = false)
class ClientKeysConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ClientKeysConfiguration.class);
    static final String KEYS_TOPIC = "keys";

    /** Saves this replica's unsaved usage when the router stops. */
    @Bean(destroyMethod = "refresh")
    @DependsOnDatabaseInitialization
    ClientKeys clientKeys(DataSource dataSource, ApiKeyProperties properties, ReplicaEvents events, SharedBuckets buckets,
                          SharedStateProperties shared, MeterRegistry meters) {
        ClientKeys keys = new ClientKeys(new ClientKeyStore(JdbcClient.create(dataSource)), Clock.systemUTC(),
                keyRates(buckets, shared, meters));
        // A key revoked on one replica stops working on the others at once, not at their next refresh.
        keys.onChange(() -> events.publish(KEYS_TOPIC));
        events.subscribe(KEYS_TOPIC, keys::refresh);
        if (properties.required()) {
            log.info("client keys: /v1/** requires an API key ({} keys, {} valid)", keys.all().size(),
                    keys.all().stream().filter(k -> !k.revoked()).count());
        } else {
            log.warn("client keys: OPEN MODE, /v1/** accepts requests without an API key (set coe.api-keys.required=true, "
                    + "env COE_API_KEYS_REQUIRED, to require one); known keys still get their limits");
        }
        return keys;
    }

    /** Across replicas in Redis when the router has one; the metric shows how many checks Redis did not answer. */
    private static KeyRates keyRates(SharedBuckets buckets, SharedStateProperties shared, MeterRegistry meters) {
        if (buckets.store().isEmpty()) {
            log.info("client keys: requests and tokens per minute are counted by each replica alone (no Redis)");
            return new LocalKeyRates();
        }
        SharedKeyRates rates = new SharedKeyRates(buckets.store().get(), shared.redisTimeout(), Duration.ofSeconds(1),
                new LocalKeyRates());
        String description = "Rate checks and charges of client keys, by where they were counted (local: Redis did not answer)";
        FunctionCounter.builder("coe.client_keys.rate_checks", rates, SharedKeyRates::sharedChecks)
                .description(description).tag("store", "shared").register(meters);
        FunctionCounter.builder("coe.client_keys.rate_checks", rates, SharedKeyRates::localChecks)
                .description(description).tag("store", "local").register(meters);
        return rates;
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService clientKeysRefresh(ClientKeys keys, ApiKeyProperties properties) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("coe-client-keys").daemon().factory());
        long every = properties.refreshInterval().toMillis();
        scheduler.scheduleWithFixedDelay(keys::refresh, every, every, TimeUnit.MILLISECONDS);
        return scheduler;
    }

    @Bean
    WebMvcConfigurer clientKeyCheck(ClientKeys keys, ApiKeyProperties properties) {
        ClientKeyInterceptor interceptor = new ClientKeyInterceptor(keys, properties.required());
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(interceptor).addPathPatterns("/v1/**");
            }
        };
    }
}
