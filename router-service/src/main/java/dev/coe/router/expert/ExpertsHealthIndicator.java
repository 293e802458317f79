package dev.coe.router.expert;

import dev.coe.gateway.ExpertHealth;
import dev.coe.gateway.ExpertId;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code experts} component of {@code /actuator/health}: each expert's last probe. UP while at
 * least one expert is reachable; DOWN when none is, since no chat request can then be answered.
 */
final class ExpertsHealthIndicator implements HealthIndicator {

    private final ExpertHealthMonitor monitor;

    ExpertsHealthIndicator(ExpertHealthMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public Health health() {
        Map<String, Object> details = new LinkedHashMap<>();
        boolean anyUp = false;
        for (Map.Entry<ExpertId, ExpertHealth> e : new TreeMap<>(monitor.latest()).entrySet()) {
            ExpertHealth h = e.getValue();
            anyUp |= h.status() == ExpertHealth.Status.UP;
            details.put(e.getKey().value(), Map.of("status", h.status().name(), "detail", h.detail()));
        }
        return (anyUp ? Health.up() : Health.down()).withDetails(details).build();
    }
}
