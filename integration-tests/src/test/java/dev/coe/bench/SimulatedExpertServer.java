package dev.coe.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.coe.gateway.Expert;
import dev.coe.gateway.ExpertConfig;
import dev.coe.gateway.ExpertFactory;
import dev.coe.gateway.ProviderKind;
import dev.coe.gateway.SimulationConfig;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An OpenAI-compatible HTTP server on 127.0.0.1 in front of the gateway's simulated expert: the stand-in
 * for a model server (vLLM, llama.cpp) in the router's latency benchmark, so that the router calls it
 * over real HTTP exactly as it would call a real engine. Answers {@code POST /v1/chat/completions}
 * (one JSON answer, or OpenAI's server-sent chunks ending in {@code data: [DONE]} when
 * {@code "stream": true}) and {@code GET /v1/models}.
 * <p>
 * Thread-safe: every exchange runs on its own virtual thread, and one simulated expert serves them all.
 * Run it standalone with {@link #main}.
 */
public final class SimulatedExpertServer implements AutoCloseable {

    /** The model name this server lists and answers as, unless told otherwise. */
    public static final String DEFAULT_MODEL = "sim-model";
    /** Requests queued by the kernel before {@code accept}: enough for the benchmark's 64 clients and the router's pool. */
    private static final int BACKLOG = 512;

    static {
        // The JDK server leaves Nagle's algorithm on unless told; a response written as headers then body
        // would then wait for the client's delayed ACK (~40 ms) and swamp what the benchmark measures.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        // Keep idle connections longer than clients do (the JDK client, the router's included, gives up after 30 s):
        // the client then closes them, and no request races the server closing the connection it was sent on.
        if (System.getProperty("sun.net.httpserver.idleInterval") == null) {
            System.setProperty("sun.net.httpserver.idleInterval", "120");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final String model;
    private final SimulationConfig simulation;
    private final ExpertTraffic traffic;

    private SimulatedExpertServer(HttpServer server, ExecutorService executor, String model, SimulationConfig simulation,
                                  ExpertTraffic traffic) {
        this.server = server;
        this.executor = executor;
        this.model = model;
        this.simulation = simulation;
        this.traffic = traffic;
    }

    /**
     * Starts a server answering as {@code model} with the given simulated behaviour and no network faults.
     *
     * @param port 0 for any free port
     * @throws IOException when the port cannot be bound
     */
    public static SimulatedExpertServer start(int port, String model, SimulationConfig simulation) throws IOException {
        return start(port, model, simulation, FaultInjection.NONE, ExpertTraffic.untimed());
    }

    /**
     * Starts a server answering as {@code model} with the given simulated behaviour, adding {@code faults} and
     * counting every call in {@code traffic}.
     *
     * @param port 0 for any free port
     * @throws IOException when the port cannot be bound
     */
    static SimulatedExpertServer start(int port, String model, SimulationConfig simulation, FaultInjection faults,
                                       ExpertTraffic traffic) throws IOException {
        return start(port, model, simulation, faults, traffic, null);
    }

    /**
     * Starts a server answering as {@code model} with the given simulated behaviour and no network faults, noting in
     * {@code times} when it received and answered each request tagged with a {@code user}.
     *
     * @param port 0 for any free port
     * @throws IOException when the port cannot be bound
     */
    static SimulatedExpertServer start(int port, String model, SimulationConfig simulation, ExpertTimes times) throws IOException {
        return start(port, model, simulation, FaultInjection.NONE, ExpertTraffic.untimed(), times);
    }

    private static SimulatedExpertServer start(int port, String model, SimulationConfig simulation, FaultInjection faults,
                                               ExpertTraffic traffic, ExpertTimes times) throws IOException {
        ExpertConfig config = ExpertConfig.builder("sim")
                .provider(ProviderKind.SIMULATED)
                .model(model)
                .description("Simulated expert behind the benchmark's OpenAI-compatible server")
                .simulation(simulation)
                .build();
        Expert expert = ExpertFactory.of(System::getenv).create(config);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), BACKLOG);
        server.setExecutor(executor);
        server.createContext("/v1/chat/completions", new ChatCompletionsHandler(expert, model, simulation, faults, traffic, times));
        server.createContext("/v1/models", exchange -> listModels(exchange, model));
        server.createContext("/", exchange -> OpenAiWire.sendError(exchange, 404, "invalid_request_error",
                "No route for " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath()));
        server.start();
        return new SimulatedExpertServer(server, executor, model, simulation, traffic);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The base URL an OpenAI client is given, e.g. {@code http://127.0.0.1:41234/v1}. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port() + "/v1");
    }

    public String model() {
        return model;
    }

    public SimulationConfig simulation() {
        return simulation;
    }

    /** The calls this server has had, as it counted them. */
    ExpertTraffic traffic() {
        return traffic;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static void listModels(HttpExchange exchange, String model) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                OpenAiWire.sendError(exchange, 405, "invalid_request_error", "Use GET for /v1/models");
                return;
            }
            byte[] body = OpenAiWire.modelList(model);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /**
     * Runs the server until the process is stopped. Options: {@code --port=8000} (default 0: any free port),
     * {@code --latency-ms=50}, {@code --tokens-per-second=200}, {@code --answer-tokens=40}, {@code --latency-spread=0},
     * {@code --error-rate=0},
     * {@code --model=sim-model}, and network faults (see {@link FaultInjection}): {@code --drop-rate=0},
     * {@code --slow-rate=0}, {@code --slow-ms=3000}.
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = CommandLine.parse(args);
        SimulationConfig simulation = new SimulationConfig(
                Duration.ofMillis(CommandLine.longOption(options, "latency-ms", SimulationConfig.DEFAULT_FIRST_TOKEN_LATENCY.toMillis())),
                CommandLine.doubleOption(options, "tokens-per-second", SimulationConfig.DEFAULT_TOKENS_PER_SECOND),
                CommandLine.doubleOption(options, "error-rate", 0.0),
                (int) CommandLine.longOption(options, "answer-tokens", SimulationConfig.DEFAULT_ANSWER_TOKENS),
                CommandLine.doubleOption(options, "latency-spread", 0));
        FaultInjection faults = new FaultInjection(CommandLine.doubleOption(options, "drop-rate", 0),
                CommandLine.doubleOption(options, "slow-rate", 0),
                Duration.ofMillis(CommandLine.longOption(options, "slow-ms", 3000)));
        CommandLine.rejectUnknown(options, "port", "latency-ms", "tokens-per-second", "answer-tokens", "latency-spread", "error-rate", "model",
                "drop-rate", "slow-rate", "slow-ms");
        int port = (int) CommandLine.longOption(options, "port", 0);
        String model = options.getOrDefault("model", DEFAULT_MODEL);
        CountDownLatch stopped = new CountDownLatch(1);
        try (SimulatedExpertServer server = start(port, model, simulation, faults, ExpertTraffic.untimed())) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
            System.out.printf("simulated expert '%s' at %s (first token %d ms, %.0f tokens/s, %d tokens, error rate %.2f,"
                            + " drop rate %.2f, slow rate %.2f)%n",
                    model, server.baseUrl(), simulation.firstTokenLatency().toMillis(), simulation.tokensPerSecond(),
                    simulation.answerTokens(), simulation.errorRate(), faults.dropRate(), faults.slowRate());
            System.out.flush();
            stopped.await();
        }
    }
}
