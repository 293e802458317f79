package dev.coe.gateway.internal;

import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventContext;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;

import java.time.Duration;

/**
 * Tells a {@link GuardedStreamingHandler} when the HTTP stream behind it has closed, so that a stream which ends
 * without its final event (Ollama's {@code "done": true}, Anthropic's {@code message_stop}) fails with
 * {@code CONNECTION_DROPPED} instead of leaving the caller waiting forever: langchain4j's Ollama and Anthropic
 * clients ignore the close.
 * <p>
 * It also tells the handler when the model's client fails on an event, e.g. one whose data is not valid JSON:
 * langchain4j's Ollama and Anthropic clients throw, the HTTP client logs and drops the event, and the stream
 * would complete without the piece of the answer that event carried. The handler fails the call instead (mapped
 * to {@code SERVER_ERROR}); the rest of the stream is still read, and ignored.
 * <p>
 * How: {@link #watching(HttpClientBuilder)} decorates the langchain4j HTTP client a model is built with. Every
 * langchain4j streaming model opens its HTTP stream synchronously, on the thread that called
 * {@code StreamingChatModel.chat}; {@link #run(GuardedStreamingHandler, Runnable)} binds the handler to that
 * thread for the duration of the call, and the decorated client picks it up when the stream is opened.
 * Thread-safe.
 */
public final class StreamCloseWatch {

    private static final ThreadLocal<GuardedStreamingHandler> OPENING = new ThreadLocal<>();

    private StreamCloseWatch() {
    }

    /**
     * A builder for clients that report stream closes to the handler bound by {@link #run}. The timeouts are
     * those of {@code delegate} when this is called, and stay so: langchain4j's model builders know a single
     * {@code timeout} and, when it is not set, overwrite the HTTP client builder's timeouts with their own defaults
     * (15 s to connect, 60 s to read), which would lose the expert's separate connect and request timeouts.
     */
    public static HttpClientBuilder watching(HttpClientBuilder delegate) {
        return new WatchingBuilder(delegate);
    }

    /** Runs {@code openStream} (a call to a streaming model) with {@code handler} bound to this thread. */
    public static void run(GuardedStreamingHandler handler, Runnable openStream) {
        GuardedStreamingHandler previous = OPENING.get();
        OPENING.set(handler);
        try {
            openStream.run();
        } finally {
            if (previous == null) {
                OPENING.remove();
            } else {
                OPENING.set(previous);
            }
        }
    }

    private record WatchingBuilder(HttpClientBuilder delegate) implements HttpClientBuilder {

        @Override
        public Duration connectTimeout() {
            return delegate.connectTimeout();
        }

        @Override
        public HttpClientBuilder connectTimeout(Duration ignored) {
            return this; // pinned: see watching()
        }

        @Override
        public Duration readTimeout() {
            return delegate.readTimeout();
        }

        @Override
        public HttpClientBuilder readTimeout(Duration ignored) {
            return this; // pinned: see watching()
        }

        @Override
        public HttpClient build() {
            return new WatchingClient(delegate.build());
        }
    }

    private record WatchingClient(HttpClient delegate) implements HttpClient {

        @Override
        public SuccessfulHttpResponse execute(HttpRequest request) {
            return delegate.execute(request);
        }

        @Override
        public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
            GuardedStreamingHandler handler = OPENING.get();
            delegate.execute(request, parser, handler == null ? listener : new WatchingListener(listener, handler));
        }
    }

    private record WatchingListener(ServerSentEventListener delegate, GuardedStreamingHandler handler)
            implements ServerSentEventListener {

        @Override
        public void onOpen(SuccessfulHttpResponse response) {
            delegate.onOpen(response);
        }

        @Override
        public void onEvent(ServerSentEvent event, ServerSentEventContext context) {
            try {
                delegate.onEvent(event, context);
            } catch (RuntimeException unreadable) {
                handler.onError(unreadable);
                throw unreadable;
            }
        }

        @Override
        public void onEvent(ServerSentEvent event) {
            try {
                delegate.onEvent(event);
            } catch (RuntimeException unreadable) {
                handler.onError(unreadable);
                throw unreadable;
            }
        }

        @Override
        public void onError(Throwable error) {
            delegate.onError(error);
        }

        @Override
        public void onClose() {
            try {
                // The model's own close handling first: OpenAI's client completes the response here.
                delegate.onClose();
            } finally {
                handler.streamClosed();
            }
        }
    }
}
