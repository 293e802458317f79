package dev.coe.router.system;

import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Which requests are traced. Spans are recorded only when they go somewhere: without an OTLP endpoint
 * ({@code management.opentelemetry.tracing.export.otlp.endpoint}) nothing is sampled, so a router that exports no
 * traces does not build spans only to throw them away. With an endpoint, a
 * client's {@code traceparent} decides for its own requests, and {@code management.tracing.sampling.probability}
 * (default 1: every request) for the others. Replaces Spring Boot's sampler, which samples a tenth whether or not
 * anything is exported.
 */
@Configuration(proxyBeanMethods = false)
class TracingConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TracingConfiguration.class);
    static final String ENDPOINT = "management.opentelemetry.tracing.export.otlp.endpoint";
    static final String PROBABILITY = "management.tracing.sampling.probability";

    @Bean
    Sampler otelSampler(Environment environment) {
        String endpoint = environment.getProperty(ENDPOINT);
        if (endpoint == null || endpoint.isBlank()) {
            log.info("tracing: no OTLP endpoint ({}), so no spans are recorded", ENDPOINT);
            return Sampler.alwaysOff();
        }
        double probability = environment.getProperty(PROBABILITY, Double.class, 1.0);
        // The endpoint may carry credentials in its query: it is not logged.
        log.info("tracing: spans exported over OTLP; a client's traceparent decides, else {} % of requests are traced",
                probability * 100);
        return Sampler.parentBased(Sampler.traceIdRatioBased(probability));
    }
}
