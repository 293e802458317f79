package dev.coe.router.dashboard;

import dev.coe.classifier.Category;
import dev.coe.classifier.CategoryClassifier;
import dev.coe.gateway.Expert;
import dev.coe.gateway.ExpertId;
import dev.coe.router.routing.Router;
import dev.coe.gateway.cache.CacheStats;
import dev.coe.gateway.cache.ResponseCache;
import dev.coe.gateway.resilience.GuardedExpert;
import dev.coe.router.system.AdminProperties;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /admin/api/live}: what the router is doing now. Per expert, its breaker and bulkhead now and its calls over
 * the last minutes; per category, requests and answering experts; the timeline for the dashboard's charts; and the
 * last routing decisions, whose prompts are fingerprints unless {@code coe.admin.log-prompts} is on.
 */
@RestController
class LiveController {

    private final LiveTraffic traffic;
    private final Router router;
    private final ResponseCache cache;
    private final List<String> categories;
    private final boolean promptsLogged;

    LiveController(LiveTraffic traffic, Router router, ResponseCache cache, CategoryClassifier classifier,
                   AdminProperties admin) {
        this.traffic = traffic;
        this.router = router;
        this.cache = cache;
        this.categories = classifier.categories().stream().map(Category::id).toList();
        this.promptsLogged = admin.logPrompts();
    }

    /**
     * @param windowSeconds how far back {@code experts[].window} and {@code categories} reach
     * @param bucketSeconds the width of one {@code timeline} entry
     * @param cache         the response cache as a whole, since start (it is shared by every expert)
     */
    record Live(Instant at, long windowSeconds, long bucketSeconds, boolean promptsLogged, List<ExpertLive> experts,
                CacheView cache, Map<String, LiveTraffic.CategoryWindow> categories, List<LiveTraffic.TimeBucket> timeline,
                List<DecisionView> recent) {
    }

    /**
     * One expert now. {@code circuitState}, {@code callsInFlight} and {@code maxConcurrentCalls} are null for an expert
     * without a resilience stack.
     */
    record ExpertLive(String id, String circuitState, Integer callsInFlight, Integer maxConcurrentCalls,
                      LiveTraffic.ExpertWindow window) {
    }

    record CacheView(long hits, long misses, double hitRate, long entries, long weightBytes) {
        static CacheView of(CacheStats s) {
            return new CacheView(s.hits(), s.misses(), s.hitRate(), s.entries(), s.weightBytes());
        }
    }

    /**
     * One routing decision and how it ended.
     *
     * @param attempts {@code expert=outcome} for each expert tried or passed over, as in {@code x-coe-attempts}
     * @param expert   the expert that answered, or null
     * @param cache    {@code hit}, {@code miss} or {@code bypass}; null when no expert answered
     */
    record DecisionView(Instant time, String requestId, String model, String category, double confidence, String reason,
                        List<String> chain, List<String> attempts, String expert, int status, double latencyMs,
                        String cache, PromptRecord prompt) {

        static DecisionView of(RequestOutcome o) {
            return new DecisionView(o.time(), o.requestId(), o.decision().requestedModel(), o.decision().category(),
                    o.decision().confidence(), o.decision().reason().name().toLowerCase(Locale.ROOT),
                    o.decision().chain().stream().map(ExpertId::value).toList(),
                    o.calls().stream().map(c -> c.expert().value() + "=" + c.outcome()).toList(),
                    o.answeredBy() == null ? null : o.answeredBy().value(), o.status(),
                    Math.round(o.nanos() / 10_000.0) / 100.0, o.cache() == null ? null : o.cache().headerValue(), o.prompt());
        }
    }

    @GetMapping("/admin/api/live")
    Live live() {
        LiveTraffic.Snapshot s = traffic.snapshot();
        List<ExpertLive> perExpert = router.experts().all().stream().map(e -> expert(e, s.experts().get(e.id().value()))).toList();
        // Every category of the taxonomy, quiet ones included, then whatever else had traffic (direct calls: "none").
        Map<String, LiveTraffic.CategoryWindow> perCategory = new LinkedHashMap<>();
        LiveTraffic.CategoryWindow quiet = new LiveTraffic.CategoryWindow(0, Map.of());
        categories.forEach(c -> perCategory.put(c, s.categories().getOrDefault(c, quiet)));
        s.categories().forEach(perCategory::putIfAbsent);
        return new Live(s.at(), s.window().toSeconds(), s.bucket().toSeconds(), promptsLogged, perExpert,
                CacheView.of(cache.stats()), perCategory, s.timeline(), s.recent().stream().map(DecisionView::of).toList());
    }

    private static ExpertLive expert(Expert expert, LiveTraffic.ExpertWindow window) {
        LiveTraffic.ExpertWindow w = window != null ? window
                : new LiveTraffic.ExpertWindow(0, 0, 0, null, null, null, 0, 0, null);
        if (expert instanceof GuardedExpert guarded) {
            return new ExpertLive(expert.id().value(), guarded.circuitState().name(), guarded.callsInFlight(),
                    guarded.resilience().maxConcurrentCalls(), w);
        }
        return new ExpertLive(expert.id().value(), null, null, null, w);
    }
}
