package dev.coe.gateway;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.coe.gateway.resilience.Deadline;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;

import java.util.Set;

/**
 * A model the router can send a chat request to: a local engine, a hosted API, or a simulated
 * test double. Implementations are thread-safe; one instance serves all concurrent requests.
 */
public interface Expert {

    ExpertId id();

    ExpertConfig config();

    /** The request options this expert honours; the router refuses to send it a request that uses any other. */
    Set<Feature> supportedFeatures();

    /**
     * Answers a request in one piece.
     *
     * @throws ExpertException (a {@link RetriableExpertException} when another try or another expert may succeed)
     */
    ChatResponse chat(ExpertRequest request);

    /**
     * Streams the answer to {@code handler}. Returns at once; the handler is called with partial responses in
     * order, then exactly one of {@code onCompleteResponse} or {@code onError} (with an {@link ExpertException}).
     * Provider adapters call it from another thread; a guarded expert may report a refusal (breaker open,
     * bulkhead full) on the caller's thread before returning.
     */
    void stream(ExpertRequest request, StreamingChatResponseHandler handler);

    /**
     * Answers in one piece by {@code deadline}. Only a {@link dev.coe.gateway.resilience.GuardedExpert} enforces the
     * deadline (and retries); a bare expert is bounded by its own request timeout.
     */
    default ChatResponse chat(ExpertRequest request, Deadline deadline) {
        return chat(request);
    }

    /**
     * Streams the answer by {@code deadline}, returning a handle that stops the call even before its first token.
     * A bare expert ignores the deadline and returns a handle that cannot stop anything before the first token
     * (cancel through the handle its partials carry).
     */
    default StreamingHandle stream(ExpertRequest request, Deadline deadline, StreamingChatResponseHandler handler) {
        stream(request, handler);
        return NotCancellable.INSTANCE;
    }

    /** Checks whether the expert can be reached now. Blocks for at most the configured connect timeout. */
    ExpertHealth checkHealth();

    /** True for a simulated expert, whose answers must be labelled as simulated wherever they appear. */
    default boolean simulated() {
        return config().provider() == ProviderKind.SIMULATED;
    }

    /** The handle of a call that offers no way to stop it early. */
    enum NotCancellable implements StreamingHandle {
        INSTANCE;

        @Override
        public void cancel() {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }
    }
}
