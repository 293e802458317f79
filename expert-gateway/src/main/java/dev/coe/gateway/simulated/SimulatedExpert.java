package dev.coe.gateway.simulated;

import dev.coe.gateway.Expert;
import dev.coe.gateway.ExpertConfig;
import dev.coe.gateway.ExpertException;
import dev.coe.gateway.ExpertHealth;
import dev.coe.gateway.ExpertId;
import dev.coe.gateway.ExpertRequest;
import dev.coe.gateway.Feature;
import dev.coe.gateway.ProviderKind;
import dev.coe.gateway.RetriableExpertException;
import dev.coe.gateway.SimulationConfig;
import dev.coe.gateway.internal.ExpertErrorMapper;
import dev.coe.gateway.internal.GuardedStreamingHandler;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.TokenUsage;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * An in-process expert that answers without any model: a test double, a load-test target and a demo aid. Its
 * answers are always labelled: the text starts with {@code [simulated <expert-id>]} and the model name is
 * {@code <model> (simulated)}. Thread-safe.
 * <p>
 * The answer is deterministic, derived from the last user message: the label, {@code "answer to:"}, up to twelve
 * words of the question, then filler words, {@link SimulationConfig#answerTokens()} tokens in all (a token is the
 * label or one space-prefixed word). With a JSON response format the text is a JSON object
 * {@code {"simulated": "[simulated <id>] ..."}} instead. Behaviour from {@link SimulationConfig}:
 * <ul>
 *   <li>the first token comes after {@code firstTokenLatency}, the next ones at {@code tokensPerSecond}
 *       (0: all at once), token {@code i} due {@code i / rate} after the first whenever the previous one was sent,
 *       as a real engine generates at its own pace: a late token (a busy machine) does not push back the rest.
 *       Streams are driven by a shared {@link ScheduledExecutorService}, never by a sleeping thread per request;
 *       {@link #chat} blocks its caller for latency + tokens / rate;</li>
 *   <li>with a {@code latencySpread}, each call's latency and generation time are scaled by its own factor
 *       ({@link LatencySpread}), so that calls differ in speed as on a real engine;</li>
 *   <li>with probability {@code errorRate} a call fails, after the first-token latency, with a
 *       {@link RetriableExpertException} of reason {@code SERVER_ERROR}.</li>
 * </ul>
 * Request options: every {@link Feature} is accepted, since the router may route anything to a simulation.
 * Max tokens cuts the answer (finish reason LENGTH); stop sequences cut it before the first match after the label
 * (which is never cut); temperature, top-p, seed, penalties, user and parallel tool calls are accepted and have no
 * effect, because the answer is deterministic. Tools: when the request has tools and the last user message says
 * {@code "call <toolName>"}, or the request forces a function or requires a tool (then the first one), the answer
 * is a call of that tool with arguments {@code {}} and finish reason TOOL_EXECUTION.
 * <p>
 * Token usage: prompt tokens are the whitespace-separated words of all messages, completion tokens the tokens sent.
 */
public final class SimulatedExpert implements Expert {

    private static final ScheduledExecutorService SHARED_SCHEDULER = Executors.newScheduledThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors() / 2),
            Thread.ofPlatform().daemon().name("simulated-expert-", 0).factory());

    private final ExpertConfig config;
    private final RandomGenerator random;
    private final ScheduledExecutorService scheduler;
    private final ExpertErrorMapper errors;
    private final AtomicLong responseCounter = new AtomicLong();
    private final LatencySpread spread;

    /** A simulated expert on the shared scheduler, failing at random by {@link ThreadLocalRandom}. */
    public SimulatedExpert(ExpertConfig config) {
        this(config, null, SHARED_SCHEDULER);
    }

    /**
     * @param config    an expert of provider {@link ProviderKind#SIMULATED}
     * @param random    decides failures; pass a seeded {@code java.util.Random} (thread-safe) for repeatable runs,
     *                  or null for {@link ThreadLocalRandom}
     * @param scheduler drives the streamed tokens; not shut down by this expert
     * @throws IllegalArgumentException if the config is for another provider
     */
    public SimulatedExpert(ExpertConfig config, RandomGenerator random, ScheduledExecutorService scheduler) {
        if (config.provider() != ProviderKind.SIMULATED) {
            throw new IllegalArgumentException("expert " + config.id() + " has provider " + config.provider().configName()
                    + ", not simulated");
        }
        this.config = config;
        this.random = random;
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.errors = ExpertErrorMapper.of(config, null);
        this.spread = new LatencySpread(config.simulation().latencySpread());
    }

    @Override
    public ExpertId id() {
        return config.id();
    }

    @Override
    public ExpertConfig config() {
        return config;
    }

    @Override
    public Set<Feature> supportedFeatures() {
        return Collections.unmodifiableSet(EnumSet.allOf(Feature.class));
    }

    @Override
    public ChatResponse chat(ExpertRequest request) {
        boolean fails = drawFailure();
        double pace = spread.next();
        SimulatedAnswer answer = SimulatedAnswer.plan(config.id().value(), simulation().answerTokens(), request);
        long wait = firstTokenLatency(pace) + (fails ? 0 : generationNanos(answer.tokens().size(), pace));
        try {
            return scheduler.schedule(() -> {
                if (fails) {
                    throw simulatedFailure();
                }
                return response(answer);
            }, wait, TimeUnit.NANOSECONDS).get();
        } catch (ExecutionException e) {
            throw errors.map(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetriableExpertException(config.id(), RetriableExpertException.Reason.CONNECTION_DROPPED,
                    "interrupted while waiting for the simulated answer", e);
        }
    }

    @Override
    public void stream(ExpertRequest request, StreamingChatResponseHandler handler) {
        GuardedStreamingHandler guarded = new GuardedStreamingHandler(handler, errors);
        boolean fails = drawFailure();
        double pace = spread.next();
        SimulatedAnswer answer = SimulatedAnswer.plan(config.id().value(), simulation().answerTokens(), request);
        long latency = firstTokenLatency(pace);
        if (fails) {
            scheduler.schedule(() -> guarded.onError(simulatedFailure()), latency, TimeUnit.NANOSECONDS);
        } else {
            long firstDue = System.nanoTime() + latency;
            scheduler.schedule(() -> emit(answer, 0, firstDue, pace, guarded), latency, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public ExpertHealth checkHealth() {
        return ExpertHealth.up("simulated");
    }

    /**
     * Sends token {@code index} (all remaining ones when the rate is 0), then schedules the next one for its due time,
     * counted from {@code firstDue} (the first token's, in {@link System#nanoTime()}), not from now: delays in sending
     * do not add up over a long answer.
     */
    private void emit(SimulatedAnswer answer, int index, long firstDue, double pace, GuardedStreamingHandler handler) {
        try {
            int next = index;
            do {
                if (next < answer.tokens().size()) {
                    handler.onPartialResponse(answer.tokens().get(next));
                }
                next++;
            } while (simulation().tokensPerSecond() == 0 && next < answer.tokens().size());
            if (next < answer.tokens().size()) {
                int following = next;
                long wait = firstDue + generationNanos(following, pace) - System.nanoTime();
                scheduler.schedule(() -> emit(answer, following, firstDue, pace, handler), Math.max(0, wait), TimeUnit.NANOSECONDS);
                return;
            }
            if (answer.toolCall() != null) {
                handler.onCompleteToolCall(new CompleteToolCall(0, answer.toolCall()));
            }
            handler.onCompleteResponse(response(answer));
        } catch (RuntimeException e) {
            // A failing callback ends the stream: the caller hears of it once, through onError.
            handler.onError(e);
        }
    }

    private ChatResponse response(SimulatedAnswer answer) {
        int completion = answer.tokens().size();
        return ChatResponse.builder()
                .aiMessage(answer.aiMessage())
                .id("simulated-" + config.id() + "-" + responseCounter.incrementAndGet())
                .modelName(config.model() + " (simulated)")
                .tokenUsage(new TokenUsage(answer.promptTokens(), completion, answer.promptTokens() + completion))
                .finishReason(answer.finishReason())
                .build();
    }

    private long firstTokenLatency(double pace) {
        return (long) (simulation().firstTokenLatency().toNanos() * pace);
    }

    /** Nanoseconds to generate {@code tokens} tokens after the first at this call's pace. */
    private long generationNanos(int tokens, double pace) {
        double rate = simulation().tokensPerSecond();
        return rate == 0 ? 0 : (long) (tokens * 1e9 * pace / rate);
    }

    private boolean drawFailure() {
        double rate = simulation().errorRate();
        RandomGenerator generator = random == null ? ThreadLocalRandom.current() : random;
        return rate > 0 && generator.nextDouble() < rate;
    }

    private ExpertException simulatedFailure() {
        return new RetriableExpertException(config.id(), RetriableExpertException.Reason.SERVER_ERROR,
                "simulated failure (errorRate " + simulation().errorRate() + ")", null);
    }

    private SimulationConfig simulation() {
        return config.simulation();
    }

    @Override
    public String toString() {
        return "SimulatedExpert{id=" + config.id() + ", model=" + config.model() + "}";
    }
}
