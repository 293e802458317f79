package dev.coe.gateway.internal;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A JDK {@link HttpClient} that notes the {@code Retry-After} of every 429 and 503 answer in the call's
 * {@link RetryAfterCapture.Slot}, and runs what is chained to a {@code sendAsync} future on the client's own executor;
 * otherwise it does exactly what its delegate does: every method delegates. Thread-safe, like the delegate.
 * <p>
 * Why the executor: the JDK client completes a {@code sendAsync} future on {@code ForkJoinPool.commonPool()} whenever
 * the client has an executor of its own, to keep callers' stages off it. langchain4j chains its whole streaming read
 * to that future ({@code thenAccept}: parse server-sent events from a blocking input stream until the answer ends), so
 * every streamed answer held a common-pool platform thread for its whole length: one thread woken per token, and a
 * pool that compensates for blocked threads only up to 256 spares, past which further streams wait for a thread while
 * everything else on the common pool starves (the default executor of {@code CompletableFuture}'s async stages and of
 * Caffeine caches built without one). On the client's executor, a virtual thread per task for the experts, a stream
 * costs one virtual thread.
 */
final class NotingHttpClient extends HttpClient {

    private final HttpClient delegate;
    private final Clock clock;
    private final Executor stages;

    NotingHttpClient(HttpClient delegate, Clock clock) {
        this.delegate = delegate;
        this.clock = clock;
        this.stages = delegate.executor().orElse(null);
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        HttpResponse<T> response = delegate.send(request, handler);
        RetryAfterCapture.noteOnThisThread(response, clock);
        return response;
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return noting(delegate.sendAsync(request, handler));
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                            HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
        return noting(delegate.sendAsync(request, handler, pushPromiseHandler));
    }

    /**
     * The response future with the noting stage in front, run on the client's executor when it has one (see the class
     * comment): the slot is taken now, on the caller's thread, and filled before any stage chained to the returned
     * future runs, on the thread that ran the noting stage.
     */
    private <T> CompletableFuture<HttpResponse<T>> noting(CompletableFuture<HttpResponse<T>> response) {
        RetryAfterCapture.Slot slot = RetryAfterCapture.currentSlot();
        if (slot == null && stages == null) {
            return response;
        }
        Function<HttpResponse<T>, HttpResponse<T>> note = r -> {
            if (slot != null) {
                slot.note(r, clock);
            }
            return r;
        };
        return stages == null ? response.thenApply(note) : response.thenApplyAsync(note, stages);
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return delegate.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return delegate.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return delegate.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return delegate.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return delegate.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return delegate.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return delegate.authenticator();
    }

    @Override
    public Version version() {
        return delegate.version();
    }

    @Override
    public Optional<Executor> executor() {
        return delegate.executor();
    }

    @Override
    public WebSocket.Builder newWebSocketBuilder() {
        return delegate.newWebSocketBuilder();
    }

    @Override
    public void shutdown() {
        delegate.shutdown();
    }

    @Override
    public boolean awaitTermination(Duration duration) throws InterruptedException {
        return delegate.awaitTermination(duration);
    }

    @Override
    public boolean isTerminated() {
        return delegate.isTerminated();
    }

    @Override
    public void shutdownNow() {
        delegate.shutdownNow();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
