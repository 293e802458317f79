package dev.coe.router.expert;

import dev.coe.gateway.Expert;
import dev.coe.gateway.ExpertConfig;
import dev.coe.gateway.ExpertFactory;
import dev.coe.gateway.ExpertId;
import dev.coe.gateway.ExpertRegistry;
import dev.coe.gateway.load.LoadLimits;
import dev.coe.gateway.resilience.ExpertGuards;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Builds the router's experts, each behind its resilience stack (and load monitor, for a local engine), and rebuilds
 * them when a routing version changes their definitions. An expert whose config did not change is carried over as it
 * is, so its breaker, bulkhead and statistics survive unrelated edits; a changed one starts afresh with its new
 * settings. Registries are immutable: requests already routed keep the experts of the registry they started with.
 * Not thread-safe; callers serialise rebuilds (the admin API's changes are).
 */
public final class ExpertFleet {

    private static final Logger log = LoggerFactory.getLogger(ExpertFleet.class);

    private final ExpertFactory factory;
    private final ExpertGuards guards;
    private final LoadMonitors loadMonitors;
    private final boolean simulate;

    /**
     * @param simulate whether every expert is replaced by a labelled simulation (the demo profile)
     */
    public ExpertFleet(ExpertFactory factory, ExpertGuards guards, LoadMonitors loadMonitors, boolean simulate) {
        this.factory = factory;
        this.guards = guards;
        this.loadMonitors = loadMonitors;
        this.simulate = simulate;
    }

    /** The experts of {@code configs}, reusing those of {@code previous} whose config is unchanged. */
    public ExpertRegistry build(List<ExpertConfig> configs, ExpertRegistry previous) {
        List<Expert> experts = new ArrayList<>();
        for (ExpertConfig config : configs) {
            ExpertConfig effective = simulate ? config.asSimulated() : config;
            Optional<Expert> same = previous.findExpert(config.id().value()).filter(e -> e.config().equals(effective));
            if (same.isPresent()) {
                experts.add(same.get());
            } else {
                experts.add(guard(factory.create(effective)));
                if (previous.contains(config.id())) {
                    log.info("expert {} changed ({}, {}{}): it starts with a fresh resilience stack", config.id(),
                            effective.provider().configName(), effective.model(), at(effective));
                } else {
                    log.info("expert {} ({}, {}{}) {}", config.id(), effective.provider().configName(), effective.model(),
                            at(effective), effective.resilience());
                }
            }
        }
        ExpertRegistry next = ExpertRegistry.of(experts);
        Set<ExpertId> kept = experts.stream().map(Expert::id).collect(Collectors.toSet());
        for (Expert gone : previous.all()) {
            if (!kept.contains(gone.id())) {
                // In-flight requests still hold the removed expert; only its instruments and engine scraping stop.
                guards.forget(gone.id().value());
                loadMonitors.stop(gone.id());
                log.info("expert {} removed", gone.id());
            }
        }
        return next;
    }

    private Expert guard(Expert expert) {
        Optional<LoadLimits> load = expert.config().load();
        if (load.isEmpty()) {
            loadMonitors.stop(expert.id());
            return guards.guard(expert);
        }
        return guards.guard(expert, loadMonitors.watch(expert.id(), load.get())::overloaded);
    }

    private static String at(ExpertConfig c) {
        return c.baseUrl() == null ? "" : " at " + c.baseUrl();
    }
}
