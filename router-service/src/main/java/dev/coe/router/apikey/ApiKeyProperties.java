package dev.coe.router.apikey;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Client keys for {@code /v1/**}.
 *
 * @param required        whether every request needs a valid key (env {@code COE_API_KEYS_REQUIRED}); off by default, for
 *                        local use, which is logged at start
 * @param refreshInterval how often each replica reloads keys, revocations and usage from the database, and saves its
 *                        own usage: the longest a revocation or another replica's usage takes to count here
 */
@ConfigurationProperties("coe.api-keys")
public record ApiKeyProperties(@DefaultValue("false") boolean required, @DefaultValue("5s") Duration refreshInterval) {
}
