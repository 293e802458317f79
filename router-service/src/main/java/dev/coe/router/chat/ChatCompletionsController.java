package dev.coe.router.chat;

import dev.coe.gateway.Expert;
import dev.coe.gateway.ExpertCalls;
import dev.coe.gateway.cache.CacheDirective;
import dev.coe.gateway.ExpertException;
import dev.coe.gateway.RetriableExpertException;
import dev.coe.gateway.resilience.Deadline;
import dev.coe.gateway.resilience.GatewayClock;
import dev.coe.classifier.Turn;
import dev.coe.router.apikey.Caller;
import dev.coe.router.dashboard.LiveTraffic;
import dev.coe.router.dashboard.PromptRecord;
import dev.coe.router.dashboard.RequestOutcome;
import dev.coe.router.routing.Router;
import dev.coe.router.routing.RoutingDecision;
import dev.coe.router.system.AdminProperties;
import dev.coe.router.system.ApiException;
import dev.coe.router.system.CoeProperties;
import dev.coe.router.system.RequestIdFilter;
import dev.langchain4j.model.chat.response.ChatResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.micrometer.tracing.Tracer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@code POST /v1/chat/completions}: validate, route (classify, then look up the chain), call the
 * experts of the chain in order, and answer in OpenAI's format with the routing facts in
 * {@code x-coe-*} headers and, for a non-streaming answer, in a {@code routing} object.
 */
@RestController
class ChatCompletionsController {

    private static final Logger decisions = LoggerFactory.getLogger("dev.coe.router.decisions");

    private final Router router;
    private final JsonMapper json;
    private final ChatRequestParser parser;
    private final RequestBodyReader bodyReader;
    private final Duration requestDeadline;
    private final Duration streamKeepAlive;
    private final GatewayClock clock;
    private final RouterMetrics metrics;
    private final ExpertCalls calls;
    private final LiveTraffic live;
    private final RequestSpans spans;
    private final boolean logPrompts;

    ChatCompletionsController(Router router, JsonMapper json, CoeProperties properties,
                              GatewayClock clock, RouterMetrics metrics, ExpertCalls calls, LiveTraffic live,
                              AdminProperties admin, ObjectProvider<Tracer> tracer) {
        this.router = router;
        this.json = json;
        this.parser = new ChatRequestParser(json);
        this.bodyReader = new RequestBodyReader(properties.maxRequestSize().toBytes());
        this.requestDeadline = properties.requestDeadline();
        this.streamKeepAlive = properties.streamKeepAlive();
        this.clock = clock;
        this.metrics = metrics;
        this.calls = calls;
        this.live = live;
        this.spans = new RequestSpans(tracer.getIfAvailable(() -> Tracer.NOOP));
        this.logPrompts = admin.logPrompts();
    }

    @PostMapping("/v1/chat/completions")
    void complete(HttpServletRequest httpRequest, HttpServletResponse httpResponse) throws IOException {
        String requestId = RequestIdFilter.of(httpRequest); // on the response already: the filter ran first
        CacheDirective asked = cacheDirective(httpRequest);
        ChatCompletionRequest request = parser.parse(bodyReader.read(httpRequest));
        Caller caller = Caller.of(httpRequest);
        caller.checkModel(request.model());
        // One deadline for the whole request, from the moment it was read: every expert, retry and fallback shares it.
        Deadline deadline = Deadline.after(clock, requestDeadline);
        // The request keeps this version's table and experts to the end, whatever is applied meanwhile.
        Router.Live version = router.live();
        RoutingDecision decision = route(version, request);
        if (decision.reason() == RoutingDecision.Reason.CLASSIFIER_BUSY) {
            caller.checkUnclassified();
        } else if (decision.reason() != RoutingDecision.Reason.DIRECT) {
            caller.checkCategory(decision.category());
        }
        // The category may widen caching to sampled requests or turn it off; a client's stricter header still wins.
        CacheDirective cache = decision.cache().apply(asked);
        metrics.routed(decision);
        Instant routedAt = clock.wallClock().instant();
        long start = clock.nanoTime();
        FallbackChain chain = null;
        int status = HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
        try {
            chain = new FallbackChain(decision, version.experts(), request.expertRequest().features(), metrics, clock::nanoTime);
            chain.chargeTo(caller::charge);
            if (decisions.isDebugEnabled()) {
                decisions.debug("model={} category={} confidence={} reason={} chain={} routeMs={}", decision.requestedModel(),
                        decision.category(), decision.confidence(), decision.reason(), decision.chain(), decision.routeMillis());
            }
            if (request.stream()) {
                new StreamingResponder(json, request, decision, chain, deadline, calls, cache, streamKeepAlive).respond(httpResponse);
            } else {
                answerOnce(request, decision, chain, deadline, cache, httpResponse);
            }
            status = HttpServletResponse.SC_OK;
        } catch (ApiException e) {
            status = e.status().value();
            throw e;
        } finally {
            long elapsed = clock.nanoTime() - start;
            live.record(new RequestOutcome(routedAt, requestId, decision, chain == null ? List.of() : chain.calls(),
                    chain == null ? null : chain.answeredBy(), status, elapsed,
                    chain == null ? null : chain.cache(), PromptRecord.of(prompt(request.conversation()), logPrompts)));
            if (chain != null) {
                spans.record(new RequestSpans.Finished(decision, chain.attempts(), chain.calls(), chain.answeredBy(),
                        chain.cache(), chain.usage(), routedAt, elapsed), version.experts());
            }
        }
    }

    /** The prompt as an operator knows it: the last user message, or the whole conversation when it has none. */
    static String prompt(List<Turn> conversation) {
        for (int i = conversation.size() - 1; i >= 0; i--) {
            if (conversation.get(i).role() == Turn.Role.USER) {
                return conversation.get(i).text();
            }
        }
        return String.join("\n", conversation.stream().map(Turn::text).toList());
    }

    /** What the client asked of the response cache: {@code Cache-Control: no-cache|no-store}, {@code x-coe-cache: force|refresh|bypass}. */
    private static CacheDirective cacheDirective(HttpServletRequest http) {
        try {
            return CacheDirective.fromHeaders(http.getHeader("Cache-Control"), http.getHeader(CacheDirective.HEADER));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidRequest(null, "Header " + CacheDirective.HEADER + ": " + e.getMessage());
        }
    }

    private RoutingDecision route(Router.Live version, ChatCompletionRequest request) {
        try {
            return router.route(version, request.model(), request.conversation())
                    .orElseThrow(() -> ApiException.modelNotFound(request.model()));
        } catch (IllegalArgumentException nothingToClassify) {
            throw ApiException.invalidRequest("messages", "The conversation has no text to route on: " + nothingToClassify.getMessage());
        }
    }

    private void answerOnce(ChatCompletionRequest request, RoutingDecision decision, FallbackChain chain,
                            Deadline deadline, CacheDirective cache, HttpServletResponse httpResponse) throws IOException {
        for (Expert expert : chain.candidates()) {
            if (deadline.expired()) {
                throw chain.exhausted(true);
            }
            ExpertCalls.Answer answer;
            try {
                answer = calls.chat(expert, request.expertRequest(), deadline, cache);
            } catch (ExpertException e) {
                chain.failed(expert, e);
                continue;
            } catch (RuntimeException e) {
                // A provider bug must not end the chain: count it as that expert's failure and go on.
                chain.failed(expert, new RetriableExpertException(expert.id(), RetriableExpertException.Reason.SERVER_ERROR,
                        e.getClass().getSimpleName() + ": " + e.getMessage(), e));
                continue;
            }
            chain.succeeded(expert, answer.cache());
            write(httpResponse, decision, chain, expert, answer);
            return;
        }
        throw chain.exhausted(deadline.expired());
    }

    private void write(HttpServletResponse http, RoutingDecision decision, FallbackChain chain, Expert expert,
                       ExpertCalls.Answer answer) throws IOException {
        ChatResponse response = answer.response();
        chain.used(response.tokenUsage());
        http.setStatus(200);
        http.setContentType(MediaType.APPLICATION_JSON_VALUE);
        RoutingHeaders.decision(decision, http::setHeader);
        http.setHeader(RoutingHeaders.EXPERT, expert.id().value());
        http.setHeader(RoutingHeaders.ATTEMPTS, chain.attemptsHeaderValue());
        http.setHeader(RoutingHeaders.CACHE, answer.cache().headerValue());
        if (expert.simulated()) {
            http.setHeader(RoutingHeaders.SIMULATED, "true");
        }
        byte[] body = json.writeValueAsBytes(Completions.completion(Completions.newId(), System.currentTimeMillis() / 1000,
                expert, response, Completions.routing(decision, expert, chain)));
        http.setContentLength(body.length);
        http.getOutputStream().write(body);
    }
}
