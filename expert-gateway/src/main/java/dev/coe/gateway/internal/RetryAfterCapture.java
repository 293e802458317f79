package dev.coe.gateway.internal;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventContext;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;

/**
 * Carries the {@code Retry-After} of a 429 or 503 answer to {@link ExpertErrorMapper}, although langchain4j's
 * {@link HttpException} keeps only the status and the body. Thread-safe.
 * <p>
 * How: two decorations of one model's HTTP client, meeting in a per-call {@link Slot}.
 * <ol>
 *   <li>{@link #watching(HttpClientBuilder)} decorates the langchain4j client. For each call it makes a fresh
 *       slot and binds it to the calling thread <em>only while</em> {@code execute} runs there, then turns an
 *       {@code HttpException} of that call (thrown, or passed to the stream listener's {@code onError}) into a
 *       {@link RetryAfterHttpException} when the slot holds a wait.</li>
 *   <li>{@link #capturing(java.net.http.HttpClient.Builder)} decorates the JDK client under langchain4j's
 *       {@code JdkHttpClient}. {@code send} fills the slot bound to its thread; {@code sendAsync} takes the slot
 *       bound when it is called and fills it in a stage that the future it returns depends on, so the slot is
 *       filled before langchain4j's own stage (which reports the status) can run, on whatever thread.</li>
 * </ol>
 * No thread-local is read on the thread that completes a response, so it does not matter which thread that is
 * or whether the response was already there when langchain4j chained its stage.
 * <p>
 * <b>Limits.</b> It relies on what langchain4j 1.19's {@code JdkHttpClient} does (checked with {@code javap}):
 * it calls {@code send} or {@code sendAsync} synchronously inside {@code execute}, on the caller's thread, and
 * reports a non-2xx answer as an {@code HttpException}. Should a later version send from another thread, the
 * slot is not found and the wait is simply absent, never wrong: the tests against the stub servers would show it.
 * Only a client built by these two methods together is covered; other HTTP clients (the health probe) are not.
 */
public final class RetryAfterCapture {

    private static final ThreadLocal<Slot> CALL = new ThreadLocal<>();

    private RetryAfterCapture() {
    }

    /** The langchain4j client builder whose clients rethrow an {@code HttpException} with its Retry-After. */
    public static HttpClientBuilder watching(HttpClientBuilder delegate) {
        return new WatchingBuilder(delegate);
    }

    /** The JDK client builder whose clients note the Retry-After of 429 and 503 answers for {@link #watching}. */
    public static java.net.http.HttpClient.Builder capturing(java.net.http.HttpClient.Builder delegate) {
        return new NotingHttpClientBuilder(delegate, Clock.systemUTC());
    }

    /** Notes the wait of {@code response} in the slot of the current call, if a call is bound to this thread. */
    static void noteOnThisThread(HttpResponse<?> response, Clock clock) {
        Slot slot = CALL.get();
        if (slot != null) {
            slot.note(response, clock);
        }
    }

    /** The slot of the call bound to this thread, or null. */
    static Slot currentSlot() {
        return CALL.get();
    }

    /** The wait named by one call's answer; written by the JDK client decoration, read by the langchain4j one. */
    static final class Slot {

        private volatile Duration retryAfter;

        void note(HttpResponse<?> response, Clock clock) {
            if (RetryAfter.applies(response.statusCode())) {
                retryAfter = RetryAfter.from(response.headers(), clock.instant()).orElse(null);
            }
        }

        /** {@code failure} with the noted wait, or itself when there is none. */
        HttpException withRetryAfter(HttpException failure) {
            Duration wait = retryAfter;
            if (wait == null || failure instanceof RetryAfterHttpException || !RetryAfter.applies(failure.statusCode())) {
                return failure;
            }
            return new RetryAfterHttpException(failure, wait);
        }

        Throwable withRetryAfter(Throwable failure) {
            return failure instanceof HttpException http ? withRetryAfter(http) : failure;
        }
    }

    private static Slot bind(Slot slot) {
        Slot previous = CALL.get();
        CALL.set(slot);
        return previous;
    }

    private static void restore(Slot previous) {
        if (previous == null) {
            CALL.remove();
        } else {
            CALL.set(previous);
        }
    }

    private record WatchingBuilder(HttpClientBuilder delegate) implements HttpClientBuilder {

        @Override
        public Duration connectTimeout() {
            return delegate.connectTimeout();
        }

        @Override
        public HttpClientBuilder connectTimeout(Duration timeout) {
            delegate.connectTimeout(timeout);
            return this;
        }

        @Override
        public Duration readTimeout() {
            return delegate.readTimeout();
        }

        @Override
        public HttpClientBuilder readTimeout(Duration timeout) {
            delegate.readTimeout(timeout);
            return this;
        }

        @Override
        public HttpClient build() {
            return new WatchingClient(delegate.build());
        }
    }

    private record WatchingClient(HttpClient delegate) implements HttpClient {

        @Override
        public SuccessfulHttpResponse execute(HttpRequest request) {
            Slot slot = new Slot();
            Slot previous = bind(slot);
            try {
                return delegate.execute(request);
            } catch (HttpException e) {
                throw slot.withRetryAfter(e);
            } finally {
                restore(previous);
            }
        }

        @Override
        public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
            Slot slot = new Slot();
            Slot previous = bind(slot);
            try {
                delegate.execute(request, parser, new WatchingListener(listener, slot));
            } finally {
                restore(previous);
            }
        }
    }

    private record WatchingListener(ServerSentEventListener delegate, Slot slot) implements ServerSentEventListener {

        @Override
        public void onOpen(SuccessfulHttpResponse response) {
            delegate.onOpen(response);
        }

        @Override
        public void onEvent(ServerSentEvent event, ServerSentEventContext context) {
            delegate.onEvent(event, context);
        }

        @Override
        public void onEvent(ServerSentEvent event) {
            delegate.onEvent(event);
        }

        @Override
        public void onError(Throwable error) {
            delegate.onError(slot.withRetryAfter(error));
        }

        @Override
        public void onClose() {
            delegate.onClose();
        }
    }
}
