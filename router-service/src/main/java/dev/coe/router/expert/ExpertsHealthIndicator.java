package dev.coe.router.expert;

import dev.coe.gateway.ExpertRegistry;
import dev.coe.gateway.resilience.GuardedExpert;
import dev.coe.gateway.ExpertHealth;
import dev.coe.gateway.ExpertId;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The {@code experts} component of {@code /actuator/health}: each expert's last probe. UP while at
 * least one expert is reachable; DOWN when none is, since no chat request can then be answered.
 */
final class ExpertsHealthIndicator implements HealthIndicator {

    private final ExpertHealthMonitor monitor;
    private final Supplier<ExpertRegistry> registry;

    ExpertsHealthIndicator(ExpertHealthMonitor monitor, Supplier<ExpertRegistry> registry) {
        this.monitor = monitor;
        this.registry = registry;
    }

    @Override
    public Health health() {
        Map<String, Object> details = new LinkedHashMap<>();
        boolean anyUp = false;
        ExpertRegistry experts = registry.get();
        for (Map.Entry<ExpertId, ExpertHealth> e : new TreeMap<>(monitor.latest()).entrySet()) {
            ExpertHealth h = e.getValue();
            anyUp |= h.status() == ExpertHealth.Status.UP;
            Map<String, Object> expert = new LinkedHashMap<>();
            expert.put("status", h.status().name());
            expert.put("detail", h.detail());
            // What the router does with the expert now, which the probe alone does not show.
            experts.findExpert(e.getKey().value()).filter(GuardedExpert.class::isInstance).map(GuardedExpert.class::cast)
                    .ifPresent(g -> {
                        expert.put("circuit", g.circuitState().name());
                        expert.put("callsInFlight", g.callsInFlight());
                    });
            details.put(e.getKey().value(), expert);
        }
        return (anyUp ? Health.up() : Health.down()).withDetails(details).build();
    }
}
