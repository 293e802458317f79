package dev.coe.router.expert;

import dev.coe.gateway.ExpertFactory;
import dev.coe.gateway.ExpertCalls;
import dev.coe.gateway.ExpertRegistry;
import dev.coe.gateway.cache.CaffeineResponseCache;
import dev.coe.gateway.cache.ResponseCache;
import dev.coe.gateway.cache.SharedAnswers;
import dev.coe.gateway.resilience.ExpertGuards;
import dev.coe.gateway.resilience.GatewayClock;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import dev.coe.router.routing.Router;
import dev.coe.router.system.CoeProperties;
import dev.coe.router.system.ConfigFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;

/** Builds the experts from {@code config/experts.yaml}, and their health probes. */
@Configuration(proxyBeanMethods = false)
class ExpertConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ExpertConfiguration.class);

    /** Real time for deadlines, timeouts and backoff; tests replace it with a manual clock. */
    @Bean
    @ConditionalOnMissingBean
    GatewayClock gatewayClock() {
        return GatewayClock.system();
    }

    @Bean
    ExpertGuards expertGuards(MeterRegistry meters, GatewayClock clock) {
        return new ExpertGuards(meters, clock);
    }

    /** Answers of deterministic requests (temperature 0 or a seed), per expert, bounded by size and each expert's ttl. */
    @Bean
    ResponseCache responseCache(CoeProperties properties, MeterRegistry meters, SharedAnswers shared) {
        long bytes = properties.cacheMaxSize().toBytes();
        if (bytes <= 0) {
            log.info("response cache is off (coe.cache-max-size = 0)");
            return ResponseCache.disabled();
        }
        return CaffeineResponseCache.builder().maximumWeightBytes(bytes).meterRegistry(meters).shared(shared).build();
    }

    @Bean
    ExpertCalls expertCalls(ResponseCache cache) {
        return new ExpertCalls(cache);
    }

    @Bean(destroyMethod = "close")
    LoadMonitors loadMonitors() {
        return new LoadMonitors();
    }

    @Bean
    ExpertFleet expertFleet(CoeProperties properties, ExpertGuards guards, LoadMonitors loadMonitors) {
        if (properties.simulateExperts()) {
            log.warn("coe.simulate-experts is on (demo profile): every expert is SIMULATED; answers are not from real models");
        }
        return new ExpertFleet(ExpertFactory.of(System::getenv), guards, loadMonitors, properties.simulateExperts());
    }

    /**
     * The experts of {@code config/experts.yaml}, each behind its resilience stack: the router starts with them, and
     * the admin API's live routing version replaces them when its experts differ (see {@code Router#experts()}).
     */
    @Bean
    ExpertRegistry expertRegistry(ConfigFiles files, ExpertFleet fleet) {
        return fleet.build(ExpertCatalog.parse(files.read("experts.yaml")), ExpertRegistry.of(List.of()));
    }

    /** Probes the live experts: those of the routing version in force, which the admin API may change. */
    @Bean(destroyMethod = "close")
    ExpertHealthMonitor expertHealthMonitor(Router router, CoeProperties properties) {
        return new ExpertHealthMonitor(router::experts, properties.healthCheckInterval());
    }

    @Bean
    ExpertsHealthIndicator expertsHealthIndicator(ExpertHealthMonitor monitor, Router router) {
        return new ExpertsHealthIndicator(monitor, router::experts);
    }
}
