package dev.coe.router.chat;

import dev.coe.gateway.ExpertId;
import dev.coe.router.routing.RoutingDecision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The router's own metrics, per category: requests and how they were routed, fallbacks from one expert to the
 * next and why, and how each request ended. The experts' own call metrics live in the gateway. Thread-safe.
 * <p>
 * Prometheus names: {@code coe_router_requests_total{category,reason}},
 * {@code coe_router_fallbacks_total{category,expert,outcome}}, {@code coe_router_responses_total{category,expert,status}},
 * {@code coe_router_route_seconds} (classification and table lookup).
 */
@Component
public class RouterMetrics {

    private final MeterRegistry registry;
    private final Timer route;

    public RouterMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.route = Timer.builder("coe.router.route").description("Classification and routing-table lookup of one request")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    void routed(RoutingDecision decision) {
        route.record(decision.routeNanos(), TimeUnit.NANOSECONDS);
        Counter.builder("coe.router.requests").description("Chat requests by routed category and why that chain")
                .tag("category", decision.category()).tag("reason", decision.reason().name().toLowerCase(Locale.ROOT))
                .register(registry).increment();
    }

    /** The chain moved on from {@code expert}, which failed with {@code outcome} (or was passed over). */
    void fellBack(RoutingDecision decision, ExpertId expert, String outcome) {
        Counter.builder("coe.router.fallbacks").description("Experts given up on for the next of the chain, by outcome")
                .tag("category", decision.category()).tag("expert", expert.value()).tag("outcome", outcome)
                .register(registry).increment();
    }

    /** The request ended with {@code status}, answered by {@code expert} (null when none answered). */
    void finished(RoutingDecision decision, ExpertId expert, int status) {
        Counter.builder("coe.router.responses").description("Chat responses by category, answering expert and status")
                .tag("category", decision.category()).tag("expert", expert == null ? "none" : expert.value())
                .tag("status", Integer.toString(status)).register(registry).increment();
    }
}
