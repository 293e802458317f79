package dev.coe.router.chat;

import dev.coe.gateway.Expert;
import dev.coe.gateway.ExpertException;
import dev.coe.gateway.ExpertId;
import dev.coe.gateway.ExpertRegistry;
import dev.coe.gateway.Feature;
import dev.coe.gateway.NonRetriableExpertException;
import dev.coe.gateway.RetriableExpertException;
import dev.coe.gateway.cache.CacheStatus;
import dev.coe.router.dashboard.ExpertCall;
import dev.coe.router.routing.RoutingDecision;
import dev.coe.router.system.ApiException;
import dev.langchain4j.model.output.TokenUsage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * The experts of one request's chain, tried in order, and the record of what happened to each.
 * Decides what a failure means: move to the next expert, or give the client an error now.
 * Not thread-safe: one instance per request.
 */
final class FallbackChain {

    private static final Logger log = LoggerFactory.getLogger(FallbackChain.class);

    private final RoutingDecision decision;
    private final List<Attempt> attempts = new ArrayList<>();
    private final List<Expert> candidates = new ArrayList<>();
    private final List<RetriableExpertException.Reason> failures = new ArrayList<>();
    private final List<ExpertCall> calls = new ArrayList<>();
    private final RouterMetrics metrics;
    private final LongSupplier nanoTime;
    /** When the attempt under way started: attempts run one after another, so each ends where the next begins. */
    private long attemptStart;
    private Duration retryAfter;
    private int refusedUnsent;
    private ExpertId answeredBy;
    private CacheStatus cache;
    private LongConsumer onCharge = tokens -> { };
    private TokenUsage usage;

    FallbackChain(RoutingDecision decision, ExpertRegistry registry, Set<Feature> features, RouterMetrics metrics) {
        this(decision, registry, features, metrics, System::nanoTime);
    }

    /**
     * @param nanoTime the clock that times each attempt, for the live view
     * @throws ApiException when no expert of the chain can honour the features the request asks for
     */
    FallbackChain(RoutingDecision decision, ExpertRegistry registry, Set<Feature> features, RouterMetrics metrics,
                  LongSupplier nanoTime) {
        this.decision = decision;
        this.metrics = metrics;
        this.nanoTime = nanoTime;
        this.attemptStart = nanoTime.getAsLong();
        Set<Feature> missingEverywhere = EnumSet.copyOf(features.isEmpty() ? EnumSet.noneOf(Feature.class) : features);
        boolean anyMissing = false;
        for (ExpertId id : decision.chain()) {
            Expert expert = registry.expert(id);
            Set<Feature> missing = EnumSet.noneOf(Feature.class);
            missing.addAll(features);
            missing.removeAll(expert.supportedFeatures());
            if (missing.isEmpty()) {
                candidates.add(expert);
                missingEverywhere.clear();
            } else {
                anyMissing = true;
                missingEverywhere.retainAll(missing);
                note(new Attempt(id, ExpertCall.SKIPPED, "cannot honour " + fields(missing)));
            }
        }
        if (candidates.isEmpty() && anyMissing) {
            // Refused, never silently dropped: no expert on the chain can honour what was asked for.
            Feature first = missingEverywhere.isEmpty() ? null : missingEverywhere.iterator().next();
            String param = first == null ? null : first.openAiField();
            throw ApiException.unsupportedParameter(param, "No expert for this request can honour "
                    + (param == null ? "the combination of parameters requested" : "'" + param + "'") + ": "
                    + attempts.stream().map(Attempt::messageForm).collect(Collectors.joining("; ")) + ".");
        }
    }

    List<Expert> candidates() {
        return candidates;
    }

    List<Attempt> attempts() {
        return attempts;
    }

    /** Every expert tried or passed over so far, with how long each attempt took. */
    List<ExpertCall> calls() {
        return calls;
    }

    /** The expert that answered, or null while none has. */
    ExpertId answeredBy() {
        return answeredBy;
    }

    /** What the answer cost, as its expert reported it; null until then, or when it did not say. */
    TokenUsage usage() {
        return usage;
    }

    /** What the response cache did for the answer, or null while no expert has answered. */
    CacheStatus cache() {
        return cache;
    }

    /**
     * Who pays for the answer: told the tokens as soon as they are known, before the answer's last bytes are written, so
     * that a client's next request already sees them against its budget. A cached answer costs nothing upstream.
     */
    void chargeTo(LongConsumer payer) {
        onCharge = payer;
    }

    /** Records what the answer cost, as its expert reported it (nothing when it did not), and charges it. */
    void used(TokenUsage usage) {
        this.usage = usage;
        if (usage != null && usage.totalTokenCount() != null) {
            if (cache != CacheStatus.HIT) {
                onCharge.accept(usage.totalTokenCount());
            }
        }
    }

    void succeeded(Expert expert, CacheStatus cacheStatus) {
        note(Attempt.ok(expert.id()));
        answeredBy = expert.id();
        cache = cacheStatus;
        metrics.finished(decision, expert.id(), 200);
    }

    private void record(Attempt attempt) {
        note(attempt);
        metrics.fellBack(decision, attempt.expert(), attempt.outcome());
    }

    private void note(Attempt attempt) {
        long now = nanoTime.getAsLong();
        attempts.add(attempt);
        calls.add(new ExpertCall(attempt.expert(), attempt.outcome(), now - attemptStart));
        attemptStart = now;
    }

    /**
     * Records a failure of {@code expert}.
     *
     * @throws ApiException when the failure is the client's own (the expert rejected the request as invalid)
     */
    void failed(Expert expert, ExpertException failure) {
        ExpertException e = inRoute(failure);
        if (e instanceof NonRetriableExpertException rejected) {
            int status = rejected.upstreamStatus();
            if (status == 0) {
                log.debug("skipped: {}", e.getMessage());
                // Refused before sending: this expert cannot carry something the client asked for. Another may.
                record(new Attempt(expert.id(), "skipped", rootMessage(e)));
                refusedUnsent++;
                return;
            }
            log.warn("rejected with HTTP {}: {}", status, e.getMessage());
            record(new Attempt(expert.id(), "rejected", "HTTP " + status + ": " + rootMessage(e)));
            if (status == 400 || status == 413 || status == 422) {
                // The expert judged the request itself invalid (e.g. too long for its context): another expert would too.
                metrics.finished(decision, null, 400);
                throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_request_error", "expert_rejected_request", null,
                        "Expert '" + expert.id() + "' rejected the request: " + rootMessage(e), attemptsHeader());
            }
            failures.add(RetriableExpertException.Reason.UNREACHABLE);
            return;
        }
        RetriableExpertException retriable = (RetriableExpertException) e;
        if (retriable.reason().refusedByGateway()) {
            // Refusals repeat on every request while a breaker is open: not worth a line each.
            log.debug("{}: {}", retriable.reason(), e.getMessage());
        } else {
            log.warn("{}: {}", retriable.reason(), e.getMessage());
        }
        record(new Attempt(expert.id(), retriable.reason().name().toLowerCase(Locale.ROOT), rootMessage(e)));
        failures.add(retriable.reason());
        retriable.retryAfter().ifPresent(d -> retryAfter = retryAfter == null || d.compareTo(retryAfter) < 0 ? d : retryAfter);
    }

    void timedOut(Expert expert, Duration waited) {
        record(new Attempt(expert.id(), "timeout", "no answer within " + waited.toMillis() + " ms"));
        failures.add(RetriableExpertException.Reason.TIMEOUT);
    }

    /**
     * The error for a chain where no expert answered: 400 if every expert refused to send the request as asked,
     * 504 if all timed out, 429 if all were rate limited, else 503.
     */
    ApiException exhausted(boolean deadlinePassed) {
        ApiException error = exhaustedError(deadlinePassed);
        metrics.finished(decision, null, error.status().value());
        return error;
    }

    private ApiException exhaustedError(boolean deadlinePassed) {
        String tried = attempts.stream().map(Attempt::messageForm).collect(Collectors.joining("; "));
        HttpHeaders headers = attemptsHeader();
        if (failures.isEmpty() && refusedUnsent > 0) {
            return new ApiException(HttpStatus.BAD_REQUEST, "invalid_request_error", "unsupported_parameter", null,
                    "No expert for this request" + inCategory() + " can honour it as sent: " + tried + ".", headers);
        }
        boolean allTimeouts = !failures.isEmpty() && failures.stream().allMatch(r -> r == RetriableExpertException.Reason.TIMEOUT);
        if (allTimeouts || (deadlinePassed && failures.isEmpty())) {
            return new ApiException(HttpStatus.GATEWAY_TIMEOUT, "timeout", "upstream_timeout", null,
                    "No expert answered in time" + inCategory() + ". Tried: " + tried + ".", headers);
        }
        boolean allRateLimited = !failures.isEmpty() && failures.stream().allMatch(r -> r == RetriableExpertException.Reason.RATE_LIMITED);
        if (allRateLimited) {
            if (retryAfter != null) {
                headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
            }
            return new ApiException(HttpStatus.TOO_MANY_REQUESTS, "rate_limit_error", "rate_limit_exceeded", null,
                    "Every expert for this request" + inCategory() + " is rate limited. Tried: " + tried + ".", headers);
        }
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "service_unavailable", "no_expert_available", null,
                "No expert is available for this request" + inCategory() + ". Tried: " + tried + ".", headers);
    }

    /** {@code e} as a failure of this request's category (unchanged for a call without one), for logs and events. */
    ExpertException inRoute(ExpertException e) {
        return RoutingDecision.NO_CATEGORY.equals(decision.category()) ? e : e.inCategory(decision.category());
    }

    /** The category in an error message, so that a client's log line says which route failed (none for a direct call). */
    private String inCategory() {
        return RoutingDecision.NO_CATEGORY.equals(decision.category()) ? "" : " (category '" + decision.category() + "')";
    }

    String attemptsHeaderValue() {
        return attempts.stream().map(Attempt::headerForm).collect(Collectors.joining(","));
    }

    private HttpHeaders attemptsHeader() {
        HttpHeaders headers = new HttpHeaders();
        RoutingHeaders.decision(decision, headers::set);
        headers.set(RoutingHeaders.ATTEMPTS, attemptsHeaderValue());
        return headers;
    }

    private static String fields(Set<Feature> features) {
        return features.stream().map(Feature::openAiField).distinct().collect(Collectors.joining(", "));
    }

    /** The expert's message without the expert id and category in front, so that error texts do not repeat them. */
    private static String rootMessage(ExpertException e) {
        return Optional.ofNullable(e.detail()).orElse(e.getClass().getSimpleName());
    }
}
