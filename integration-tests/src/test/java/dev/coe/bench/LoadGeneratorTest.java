package dev.coe.bench;

import com.sun.net.httpserver.HttpServer;
import dev.coe.gateway.SimulationConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** The load generator as a client: what it does to the connections of the server it measures. */
class LoadGeneratorTest {

    private static final byte[] STREAM = """
            data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"}}]}

            data: [DONE]

            """.getBytes(StandardCharsets.UTF_8);

    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @ParameterizedTest
    @EnumSource(BenchClient.Kind.class)
    void should_reuse_one_connection_when_one_client_streams_one_answer_after_another(BenchClient.Kind kind) throws Exception {
        // given: a server that streams a short answer in chunks and notes each connection's client port
        URI base = startStreamingServer();

        // when
        RunResult result;
        try (BenchClient client = BenchClient.of(kind)) {
            result = new LoadGenerator(client, 0).run(Target.direct(base, "m"), true, 1, 5, Duration.ofSeconds(20));
        }

        // then: every answer was counted, over the one connection a real SDK client would keep
        assertThat(result.succeeded()).isEqualTo(5);
        assertThat(clientPorts).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(BenchClient.Kind.class)
    void should_take_the_experts_own_time_out_of_each_answer_when_the_expert_times_tagged_requests(BenchClient.Kind kind) throws Exception {
        // given: a simulated expert that waits 150 ms before its first token and then streams 10 tokens in about 50 ms
        ExpertTimes times = new ExpertTimes();
        SimulationConfig slow = new SimulationConfig(Duration.ofMillis(150), 200, 0, 10, 0);
        RunResult streamed;
        RunResult whole;
        try (SimulatedExpertServer expert = SimulatedExpertServer.start(0, "m", slow, times);
             BenchClient client = BenchClient.of(kind)) {
            LoadGenerator load = new LoadGenerator(client, times);

            // when
            streamed = load.run(Target.direct(expert.baseUrl(), "m"), true, 2, 6, Duration.ofSeconds(30));
            whole = load.run(Target.direct(expert.baseUrl(), "m"), false, 2, 6, Duration.ofSeconds(30));
        }

        // then: every answer was paired with the expert's times, and what is left is the client and loopback's share,
        // far below the expert's 150 ms (a missing pairing would leave the whole latency)
        assertThat(streamed.outsideFirstToken.getTotalCount()).isEqualTo(6);
        assertThat(streamed.outsideComplete.getTotalCount()).isEqualTo(6);
        assertThat(whole.outsideComplete.getTotalCount()).isEqualTo(6);
        assertThat(whole.outsideFirstToken.getTotalCount()).isZero();
        assertThat(RunResult.millis(streamed.firstToken, 50)).isGreaterThanOrEqualTo(150);
        assertThat(RunResult.millis(streamed.outsideFirstToken, 50)).isLessThan(100);
        assertThat(RunResult.millis(streamed.complete, 50)).isGreaterThanOrEqualTo(190);
        assertThat(RunResult.millis(streamed.outsideComplete, 50)).isLessThan(100);
        assertThat(RunResult.millis(whole.outsideComplete, 50)).isLessThan(100);
        assertThat(times.pending()).isZero();
    }

    private URI startStreamingServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/chat/completions", exchange -> {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);  // 0: chunked
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(STREAM);
                // The body's last, empty chunk follows a moment later, as when a servlet returns after its last flush.
                out.flush();
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }
}
