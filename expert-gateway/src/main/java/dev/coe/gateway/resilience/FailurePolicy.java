package dev.coe.gateway.resilience;

import dev.coe.gateway.NonRetriableExpertException;
import dev.coe.gateway.RetriableExpertException;

/**
 * Which failures count against an expert's circuit breaker and which are worth another try on the same expert.
 * Stateless.
 */
final class FailurePolicy {

    private FailurePolicy() {
    }

    /**
     * True when the failure says the expert is unwell: 5xx, timeouts, dropped or refused connections, a wrong key
     * or model name (401/403/404), or an adapter bug. A 429 is the provider asking us to slow down (retries and
     * {@code Retry-After} handle it); a 400 is the client's request; the gateway's own refusals never reached the
     * expert. None of those should open the breaker.
     */
    static boolean countsAgainstExpert(Throwable t) {
        if (t instanceof RetriableExpertException r) {
            return r.reason() != RetriableExpertException.Reason.RATE_LIMITED && !r.reason().refusedByGateway();
        }
        if (t instanceof NonRetriableExpertException n) {
            int status = n.upstreamStatus();
            return status == 401 || status == 403 || status == 404 || status >= 500;
        }
        return true;
    }

    /**
     * True for a failure another try on the same expert may well fix: a refused connection, a 429, a 5xx or a
     * connection dropped before the answer began. A timeout is not retried here: the same expert is likely to be
     * slow again, and the next expert of the chain is the better bet within the request's deadline.
     */
    static boolean worthRetrying(Throwable t) {
        return t instanceof RetriableExpertException r && switch (r.reason()) {
            case UNREACHABLE, RATE_LIMITED, SERVER_ERROR, CONNECTION_DROPPED -> true;
            default -> false;
        };
    }
}
