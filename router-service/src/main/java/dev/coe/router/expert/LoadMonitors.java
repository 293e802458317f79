package dev.coe.router.expert;

import dev.coe.gateway.ExpertId;
import dev.coe.gateway.load.EngineLoad;
import dev.coe.gateway.load.EngineLoadMonitor;
import dev.coe.gateway.load.LoadLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The running load monitors of the local engines that have {@code load:} limits in {@code experts.yaml}, so that
 * they can be shown and stopped together. Thread-safe.
 */
public final class LoadMonitors implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LoadMonitors.class);

    private final Map<ExpertId, EngineLoadMonitor> monitors = new ConcurrentHashMap<>();

    /** Starts scraping the engine of {@code expert} (replacing an earlier monitor of it). */
    EngineLoadMonitor watch(ExpertId expert, LoadLimits limits) {
        EngineLoadMonitor monitor = EngineLoadMonitor.of(limits).start();
        EngineLoadMonitor previous = monitors.put(expert, monitor);
        if (previous != null) {
            previous.close();
        }
        log.info("expert {}: engine load from {} (limits {})", expert, limits.metricsUrl(), limits);
        return monitor;
    }

    /** Stops scraping the engine of {@code expert}, if it was watched. */
    void stop(ExpertId expert) {
        EngineLoadMonitor previous = monitors.remove(expert);
        if (previous != null) {
            previous.close();
        }
    }

    /** The latest load of {@code expert}'s engine, when it is monitored and has been read. */
    public Optional<EngineLoad> load(ExpertId expert) {
        return Optional.ofNullable(monitors.get(expert)).flatMap(EngineLoadMonitor::load);
    }

    @Override
    public void close() {
        monitors.values().forEach(EngineLoadMonitor::close);
        monitors.clear();
    }
}
