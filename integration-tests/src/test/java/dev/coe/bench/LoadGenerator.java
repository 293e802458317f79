package dev.coe.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop load generator: {@code concurrency} workers, each sending its next request as soon as the
 * previous answer is read, until the run's request count or time bound is reached. Measures, per request,
 * the time to the fully read answer and, for streams, to the first content token.
 * <p>
 * All workers share one HTTP/1.1 client, as an application shares one OpenAI client; its pool gives each
 * concurrent request its own keep-alive connection, and one selector thread serves them all rather than
 * sixty-four competing for the two cores. Thread-safe.
 */
final class LoadGenerator {

    /** Longest one request may wait for its response headers. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** Extra time a run's workers get, past its bound, to finish the request in flight. */
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(90);

    /** One short prompt per category, so that {@code model: "auto"} classifies realistic text. */
    private static final List<String> PROMPTS = List.of(
            "Write a short poem about the sea at night.",
            "Pretend you are a pirate captain and greet your new crew.",
            "If all bloops are razzies and all razzies are lazzies, are all bloops lazzies?",
            "Solve for x: 3x + 7 = 22, and show the steps.",
            "Write a Java method that reverses a singly linked list.",
            "Extract the names and dates from: Ada met Alan on 3 May 1950 in London.",
            "Explain how a transistor works to a first-year engineering student.",
            "What were the main causes of the French Revolution?");

    private final HttpClient client;
    /** Numbers every request, so that no two prompts are equal and no cache can answer one. */
    private final AtomicLong sequence = new AtomicLong();

    LoadGenerator(HttpClient client) {
        this.client = client;
    }

    static HttpClient newClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /**
     * Sends up to {@code requests} requests with {@code concurrency} workers, for at most {@code maxTime}.
     */
    RunResult run(Target target, boolean streaming, int concurrency, int requests, Duration maxTime) throws InterruptedException {
        AtomicInteger tickets = new AtomicInteger(requests);
        long deadline = System.nanoTime() + maxTime.toNanos();
        List<Future<RunResult>> workers = new ArrayList<>();
        RunResult total = new RunResult();
        long start = System.nanoTime();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < concurrency; i++) {
                workers.add(executor.submit(() -> work(target, streaming, tickets, deadline)));
            }
            for (Future<RunResult> worker : workers) {
                long left = deadline - System.nanoTime() + DRAIN_TIMEOUT.toNanos();
                try {
                    total.add(worker.get(Math.max(left, 0), TimeUnit.NANOSECONDS));
                } catch (TimeoutException e) {
                    total.failed("a worker was still waiting for an answer " + DRAIN_TIMEOUT.toSeconds() + " s after the run's time bound");
                    executor.shutdownNow();
                } catch (ExecutionException e) {
                    total.failed("worker failed: " + e.getCause());
                }
            }
        }
        total.elapsed = Duration.ofNanos(System.nanoTime() - start);
        return total;
    }

    private RunResult work(Target target, boolean streaming, AtomicInteger tickets, long deadline) {
        RunResult result = new RunResult();
        while (System.nanoTime() < deadline && tickets.getAndDecrement() > 0 && !Thread.currentThread().isInterrupted()) {
            HttpRequest request = request(target, streaming);
            try {
                if (streaming) {
                    streamOnce(request, target, result);
                } else {
                    answerOnce(request, target, result);
                }
            } catch (IOException e) {
                result.failed(e.getClass().getSimpleName() + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return result;
    }

    private void answerOnce(HttpRequest request, Target target, RunResult result) throws IOException, InterruptedException {
        long start = System.nanoTime();
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        long end = System.nanoTime();
        if (response.statusCode() != 200) {
            result.failed("HTTP " + response.statusCode() + ": " + new String(response.body(), StandardCharsets.UTF_8));
            return;
        }
        result.complete.recordValue(end - start);
        recordRouteTime(response, target, result);
    }

    private void streamOnce(HttpRequest request, Target target, RunResult result) throws IOException, InterruptedException {
        long start = System.nanoTime();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            if (response.statusCode() != 200) {
                result.failed("HTTP " + response.statusCode() + ": " + String.join("\n", lines.lines().toList()));
                return;
            }
            long firstToken = 0;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.startsWith("data: ")) {
                    continue;
                }
                if (line.equals("data: [DONE]")) {
                    long end = System.nanoTime();
                    if (firstToken == 0) {
                        result.failed("stream ended without any content");
                        return;
                    }
                    result.firstToken.recordValue(firstToken - start);
                    result.complete.recordValue(end - start);
                    recordRouteTime(response, target, result);
                    return;
                }
                if (line.startsWith("data: {\"error\"")) {
                    result.failed("error event: " + line);
                    return;
                }
                if (firstToken == 0 && hasContent(line)) {
                    firstToken = System.nanoTime();
                }
            }
            result.failed("stream ended without data: [DONE]");
        }
    }

    /** True for a chunk whose delta carries text; the first chunk's {@code "content":""} does not count. */
    private static boolean hasContent(String line) {
        int at = line.indexOf("\"content\":\"");
        return at >= 0 && at + 11 < line.length() && line.charAt(at + 11) != '"';
    }

    private static void recordRouteTime(HttpResponse<?> response, Target target, RunResult result) {
        if (target.viaRouter()) {
            response.headers().firstValue("x-coe-route-ms").ifPresent(ms -> {
                try {
                    result.routeMicros.recordValue(Math.round(Double.parseDouble(ms) * 1000));
                } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                    result.failed("bad x-coe-route-ms '" + ms + "'");
                }
            });
        }
    }

    private HttpRequest request(Target target, boolean streaming) {
        long n = sequence.incrementAndGet();
        ObjectNode body = OpenAiWire.JSON.createObjectNode();
        body.put("model", target.model());
        body.putArray("messages").addObject()
                .put("role", "user")
                .put("content", PROMPTS.get((int) (n % PROMPTS.size())) + " (request " + n + ")");
        if (streaming) {
            body.put("stream", true);
        }
        try {
            return HttpRequest.newBuilder(target.chatUrl())
                    .timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(OpenAiWire.JSON.writeValueAsBytes(body)))
                    .build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot happen: a tree of plain values always serializes", e);
        }
    }
}
