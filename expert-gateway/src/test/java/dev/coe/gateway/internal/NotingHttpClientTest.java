package dev.coe.gateway.internal;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.http.client.HttpMethod;
import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.http.client.sse.DefaultServerSentEventParser;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import java.io.ByteArrayInputStream;
import java.lang.reflect.Proxy;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link RetryAfterCapture} over langchain4j's real {@code JdkHttpClient}, with a fake JDK client underneath that
 * controls when and on which thread a response completes: the cases a thread-local read on the completing thread
 * would get wrong.
 */
class NotingHttpClientTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final String BODY = "{\"error\":\"slow down\"}";

    private static dev.langchain4j.http.client.HttpRequest request() {
        return dev.langchain4j.http.client.HttpRequest.builder().method(HttpMethod.POST)
                .url("http://127.0.0.1:1/v1/chat/completions").body("{}").build();
    }

    /** langchain4j's JDK client over {@code fake}, decorated as the experts decorate theirs. */
    private static dev.langchain4j.http.client.HttpClient client(FakeJdkClient fake) {
        HttpClient.Builder fakeBuilder = (HttpClient.Builder) Proxy.newProxyInstance(NotingHttpClientTest.class.getClassLoader(),
                new Class<?>[]{HttpClient.Builder.class},
                (proxy, method, args) -> method.getName().equals("build") ? fake : proxy);
        return RetryAfterCapture.watching(JdkHttpClient.builder()
                .httpClientBuilder(new NotingHttpClientBuilder(fakeBuilder, CLOCK))).build();
    }

    /** Streams through {@code client} and returns what the listener's onError got. */
    private static Throwable streamError(dev.langchain4j.http.client.HttpClient client) throws Exception {
        CompletableFuture<Throwable> error = new CompletableFuture<>();
        client.execute(request(), new DefaultServerSentEventParser(), new ServerSentEventListener() {
            @Override
            public void onError(Throwable t) {
                error.complete(t);
            }
        });
        return error.get(5, TimeUnit.SECONDS);
    }

    @Test
    void should_carry_retry_after_when_the_response_was_complete_before_langchain4j_chained_its_stage() throws Exception {
        // given: sendAsync returns a future that is already done, so every stage runs at once on the caller
        FakeJdkClient fake = new FakeJdkClient(429, Map.of("Retry-After", List.of("7")), null);

        // when
        Throwable error = streamError(client(fake));

        // then
        assertThat(error).isInstanceOfSatisfying(RetryAfterHttpException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(429);
            assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
            assertThat(e.getMessage()).isEqualTo(BODY);
        });
    }

    @Test
    void should_carry_retry_after_when_another_thread_completes_the_response_after_the_call_returned() throws Exception {
        // given: the response arrives on a thread of its own once execute has returned and unbound the call
        CompletableFuture<Void> release = new CompletableFuture<>();
        FakeJdkClient fake = new FakeJdkClient(503, Map.of("retry-after-ms", List.of("250")), release);
        dev.langchain4j.http.client.HttpClient client = client(fake);

        // when
        CompletableFuture<Throwable> error = CompletableFuture.supplyAsync(() -> {
            try {
                return streamError(client);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        fake.awaitSent();
        new Thread(() -> release.complete(null), "response-thread").start();

        // then
        assertThat(error.get(5, TimeUnit.SECONDS)).isInstanceOfSatisfying(RetryAfterHttpException.class,
                e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(250)));
    }

    @Test
    void should_throw_retry_after_from_a_blocking_call() {
        // given
        FakeJdkClient fake = new FakeJdkClient(429, Map.of("Retry-After", List.of("Wed, 01 Jan 2025 00:00:09 GMT")), null);

        // when / then: measured from the injected clock
        assertThatThrownBy(() -> client(fake).execute(request()))
                .isInstanceOfSatisfying(RetryAfterHttpException.class,
                        e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(9)));
    }

    @Test
    void should_leave_the_http_exception_alone_when_there_is_no_header() {
        FakeJdkClient fake = new FakeJdkClient(429, Map.of(), null);

        assertThatThrownBy(() -> client(fake).execute(request()))
                .isExactlyInstanceOf(HttpException.class);
    }

    @Test
    void should_leave_a_response_alone_when_no_call_is_bound() throws Exception {
        // given: the JDK client used directly, as by code other than the experts
        FakeJdkClient fake = new FakeJdkClient(429, Map.of("Retry-After", List.of("7")), null);
        NotingHttpClient noting = new NotingHttpClient(fake, CLOCK);

        // when
        HttpResponse<byte[]> response = noting.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:1/")).build(),
                HttpResponse.BodyHandlers.ofByteArray());

        // then
        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(RetryAfterCapture.currentSlot()).isNull();
    }

    /** Answers every request with one status and headers; asynchronously at once, or when {@code release} completes. */
    private static final class FakeJdkClient extends HttpClient {

        private final int status;
        private final HttpHeaders headers;
        private final CompletableFuture<Void> release;
        private final CompletableFuture<Void> sent = new CompletableFuture<>();

        FakeJdkClient(int status, Map<String, List<String>> headers, CompletableFuture<Void> release) {
            this.status = status;
            this.headers = HttpHeaders.of(headers, (name, value) -> true);
            this.release = release;
        }

        void awaitSent() throws Exception {
            sent.get(5, TimeUnit.SECONDS);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
            return (HttpResponse<T>) new FakeResponse<>(request, status, headers, BODY.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
            HttpResponse<T> response = (HttpResponse<T>) new FakeResponse<>(request, status, headers,
                    new ByteArrayInputStream(BODY.getBytes(StandardCharsets.UTF_8)));
            sent.complete(null);
            return release == null ? CompletableFuture.completedFuture(response) : release.thenApply(done -> response);
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                                HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
            return sendAsync(request, handler);
        }

        @Override
        public Optional<CookieHandler> cookieHandler() {
            return Optional.empty();
        }

        @Override
        public Optional<Duration> connectTimeout() {
            return Optional.empty();
        }

        @Override
        public Redirect followRedirects() {
            return Redirect.NEVER;
        }

        @Override
        public Optional<ProxySelector> proxy() {
            return Optional.empty();
        }

        @Override
        public SSLContext sslContext() {
            return null;
        }

        @Override
        public SSLParameters sslParameters() {
            return null;
        }

        @Override
        public Optional<Authenticator> authenticator() {
            return Optional.empty();
        }

        @Override
        public Version version() {
            return Version.HTTP_1_1;
        }

        @Override
        public Optional<Executor> executor() {
            return Optional.empty();
        }
    }

    private record FakeResponse<T>(HttpRequest request, int statusCode, HttpHeaders headers, T body)
            implements HttpResponse<T> {

        @Override
        public Optional<HttpResponse<T>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return request.uri();
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
