package dev.coe.router.dashboard;

import dev.coe.gateway.ExpertId;
import dev.coe.gateway.cache.CacheStatus;
import dev.coe.router.routing.RoutingDecision;

import java.time.Instant;
import java.util.List;

/**
 * How one chat request ended, as the live view records it. Immutable.
 *
 * @param time       when the request was routed
 * @param requestId  the {@code x-request-id} of the response
 * @param decision   how it was routed
 * @param calls      the experts of its chain that were tried or passed over, in order
 * @param answeredBy the expert that answered, or null when none did
 * @param status     the HTTP status the client got (200 for a stream once its first event was sent)
 * @param nanos      time from routing to the end of the response
 * @param cache      what the response cache did for the answer, or null when no expert answered
 * @param prompt     the prompt's fingerprint (and text, if prompts are logged)
 */
public record RequestOutcome(Instant time, String requestId, RoutingDecision decision, List<ExpertCall> calls,
                             ExpertId answeredBy, int status, long nanos, CacheStatus cache, PromptRecord prompt) {

    public RequestOutcome {
        calls = List.copyOf(calls);
    }
}
