package dev.coe.router.expert;

import dev.coe.gateway.ExpertConfig;
import dev.coe.gateway.ExpertFactory;
import dev.coe.gateway.ExpertCalls;
import dev.coe.gateway.ExpertRegistry;
import dev.coe.gateway.cache.CaffeineResponseCache;
import dev.coe.gateway.cache.ResponseCache;
import dev.coe.gateway.resilience.ExpertGuards;
import dev.coe.gateway.resilience.GatewayClock;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
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
    ResponseCache responseCache(CoeProperties properties, MeterRegistry meters) {
        long bytes = properties.cacheMaxSize().toBytes();
        if (bytes <= 0) {
            log.info("response cache is off (coe.cache-max-size = 0)");
            return ResponseCache.disabled();
        }
        return CaffeineResponseCache.builder().maximumWeightBytes(bytes).meterRegistry(meters).build();
    }

    @Bean
    ExpertCalls expertCalls(ResponseCache cache) {
        return new ExpertCalls(cache);
    }

    @Bean(destroyMethod = "close")
    LoadMonitors loadMonitors() {
        return new LoadMonitors();
    }

    /** Every expert of {@code config/experts.yaml}, each behind its resilience stack. */
    @Bean
    ExpertRegistry expertRegistry(ConfigFiles files, CoeProperties properties, ExpertGuards guards, LoadMonitors loadMonitors) {
        List<ExpertConfig> configs = ExpertCatalog.parse(files.read("experts.yaml"));
        if (properties.simulateExperts()) {
            log.warn("coe.simulate-experts is on (demo profile): every expert is SIMULATED; answers are not from real models");
            configs = configs.stream().map(ExpertConfig::asSimulated).toList();
        }
        ExpertFactory factory = ExpertFactory.of(System::getenv);
        ExpertRegistry registry = ExpertRegistry.of(configs.stream()
                .map(factory::create)
                .map(expert -> expert.config().load()
                        .map(limits -> guards.guard(expert, loadMonitors.watch(expert.id(), limits)::overloaded))
                        .orElseGet(() -> guards.guard(expert)))
                .toList());
        registry.all().forEach(e -> log.info("expert {} ({}, {}{}) {}", e.id(), e.config().provider().configName(),
                e.config().model(), e.config().baseUrl() == null ? "" : " at " + e.config().baseUrl(), e.config().resilience()));
        return registry;
    }

    @Bean(destroyMethod = "close")
    ExpertHealthMonitor expertHealthMonitor(ExpertRegistry registry, CoeProperties properties) {
        return new ExpertHealthMonitor(registry, properties.healthCheckInterval());
    }

    @Bean
    ExpertsHealthIndicator expertsHealthIndicator(ExpertHealthMonitor monitor, ExpertRegistry registry) {
        return new ExpertsHealthIndicator(monitor, registry);
    }
}
