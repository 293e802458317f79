package dev.coe.router.expert;

import dev.coe.gateway.Expert;
import dev.coe.gateway.ExpertHealth;
import dev.coe.gateway.ExpertId;
import dev.coe.gateway.ExpertRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Probes every expert in the background and keeps the latest result, so that the health endpoint
 * answers at once instead of waiting on slow or dead experts. It probes the live experts, which change with the
 * routing version, and forgets the results of experts that left. Thread-safe.
 */
public final class ExpertHealthMonitor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ExpertHealthMonitor.class);

    private final Supplier<ExpertRegistry> experts;
    private final Map<ExpertId, ExpertHealth> latest = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("coe-expert-health").daemon().factory());

    public ExpertHealthMonitor(Supplier<ExpertRegistry> experts, Duration interval) {
        this.experts = experts;
        for (Expert expert : experts.get().all()) {
            latest.put(expert.id(), new ExpertHealth(ExpertHealth.Status.DOWN, "not checked yet"));
        }
        scheduler.scheduleWithFixedDelay(this::checkAll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Probes every expert now, in parallel, and records the results. */
    public void checkAll() {
        ExpertRegistry current = experts.get();
        try (var probes = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Expert expert : current.all()) {
                probes.submit(() -> record(expert, expert.checkHealth()));
            }
        }
        latest.keySet().removeIf(id -> !experts.get().contains(id));
    }

    private void record(Expert expert, ExpertHealth health) {
        ExpertHealth previous = latest.put(expert.id(), health);
        if (previous == null || previous.status() != health.status()) {
            log.info("expert {} is {}: {}", expert.id(), health.status(), health.detail());
        }
    }

    public Map<ExpertId, ExpertHealth> latest() {
        return Map.copyOf(latest);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
