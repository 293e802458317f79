package dev.coe.router.dashboard;

import dev.coe.gateway.ExpertId;

/**
 * One expert of a request's chain and what became of it, as the live view counts it. Immutable.
 *
 * @param expert  the expert
 * @param outcome {@code ok}, {@code skipped} (never sent: it cannot honour the request), or the failure reason in lower
 *                case as in the {@code x-coe-attempts} header ({@code timeout}, {@code circuit_open}, …)
 * @param nanos   time from the start of this attempt to its outcome: the whole answer for a one-piece request, the
 *                first token for a stream
 */
public record ExpertCall(ExpertId expert, String outcome, long nanos) {

    public static final String OK = "ok";
    public static final String SKIPPED = "skipped";
}
