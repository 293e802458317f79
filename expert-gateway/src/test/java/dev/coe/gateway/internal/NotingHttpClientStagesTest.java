package dev.coe.gateway.internal;

import com.sun.net.httpserver.HttpServer;
import dev.langchain4j.http.client.HttpMethod;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.http.client.sse.DefaultServerSentEventParser;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventContext;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where langchain4j's streaming read runs, over a real JDK client and a real server: on the client's executor, not on
 * the common pool where the JDK completes a {@code sendAsync} future (see {@link NotingHttpClient}).
 */
class NotingHttpClientStagesTest {

    /** The common pool's default ceiling on threads it adds for blocked ones ({@code ForkJoinPool.common.maximumSpares}). */
    private static final int COMMON_POOL_MAX_SPARES = 256;

    private final CountDownLatch release = new CountDownLatch(1);
    private ExecutorService serverThreads;
    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        serverThreads = Executors.newVirtualThreadPerTaskExecutor();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.setExecutor(serverThreads);
        // One event at once, then the stream stays open until the test releases it: a model still generating.
        server.createContext("/v1/chat/completions", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write("data: first\n\n".getBytes(StandardCharsets.UTF_8));
                body.flush();
                release.await(30, TimeUnit.SECONDS);
                body.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        server.stop(0);
        serverThreads.close();
    }

    private dev.langchain4j.http.client.HttpClient client(ExecutorService executor) {
        return JdkHttpClient.builder()
                .httpClientBuilder(new NotingHttpClientBuilder(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .executor(executor), Clock.systemUTC()))
                .build();
    }

    private HttpRequest request() {
        return HttpRequest.builder().method(HttpMethod.POST)
                .url("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/chat/completions").body("{}").build();
    }

    /** Starts a stream and calls {@code onFirst} with the name of the thread that received its first event. */
    private void stream(dev.langchain4j.http.client.HttpClient client, CompletableFuture<String> onFirst) {
        client.execute(request(), new DefaultServerSentEventParser(), new ServerSentEventListener() {
            @Override
            public void onEvent(ServerSentEvent event, ServerSentEventContext context) {
                onFirst.complete(Thread.currentThread().getName());
            }

            @Override
            public void onError(Throwable t) {
                onFirst.completeExceptionally(t);
            }
        });
    }

    @Test
    void should_read_a_stream_on_the_client_executor_when_the_client_has_one() throws Exception {
        // given
        try (ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("expert-http-", 0).factory())) {
            CompletableFuture<String> thread = new CompletableFuture<>();

            // when
            stream(client(executor), thread);

            // then: the JDK alone would have run it on a ForkJoinPool.commonPool-worker thread
            assertThat(thread.get(10, TimeUnit.SECONDS)).startsWith("expert-http-");
            release.countDown();
        }
    }

    @Test
    void should_start_every_stream_when_more_are_open_than_the_common_pool_has_threads_for() throws Exception {
        // given: more open streams than the common pool could ever give a blocked thread each
        int streams = ForkJoinPool.getCommonPoolParallelism() + COMMON_POOL_MAX_SPARES + 44;
        CountDownLatch firstEvents = new CountDownLatch(streams);
        try (ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("expert-http-", 0).factory())) {
            dev.langchain4j.http.client.HttpClient client = client(executor);

            // when
            for (int i = 0; i < streams; i++) {
                CompletableFuture<String> first = new CompletableFuture<>();
                first.thenRun(firstEvents::countDown);
                stream(client, first);
            }

            // then: every stream has its first event while all of them are still open
            assertThat(firstEvents.await(20, TimeUnit.SECONDS))
                    .as("streams still waiting for their first event: %d of %d", firstEvents.getCount(), streams)
                    .isTrue();
            release.countDown();
        }
    }
}
