package dev.coe.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A load generator: {@code concurrency} workers, each sending its next request as soon as the previous answer is
 * read (a closed loop), or, with a rate, when the request's slot in a fixed schedule comes (an open loop bounded by
 * the workers), until the run's request count or time bound is reached. Measures, per request, the time to the fully
 * read answer and, for streams, to the first content token. A run sends one kind of
 * request ({@link #run}); a mixed run ({@link #runUntil}) draws each request's target and mode from a mix and
 * hands every outcome to a shared, thread-safe {@link Outcomes}.
 * <p>
 * All workers share one {@link BenchClient}, as an application shares one OpenAI client, and run on the kind of thread
 * that client is meant to be called from. Thread-safe.
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

    /** One request of a mixed run: where it goes and whether its answer streams. */
    record Call(Target target, boolean streaming) {
    }

    /** Receives the outcome of each request; {@link RunResult} is one, filled by a single worker. */
    interface Outcomes {
        /**
         * A 200 answer read to its end.
         *
         * @param firstTokenNanos request to first content token; 0 for a one-piece answer
         * @param routeMs         the router's {@code x-coe-route-ms} header, or null (no router, or no header)
         */
        void answered(long completeNanos, long firstTokenNanos, String routeMs);

        /**
         * The answer just reported was routed without a classification ({@code x-coe-category: none} for a router
         * model): the router's classifier was too busy, and its fallback chain answered.
         */
        default void unclassified() {
        }

        /**
         * The answer just reported spent this long outside the expert: its latency less the expert's own time for the
         * same request, as the expert noted it in {@link ExpertTimes}. Reported only when the expert timed the request.
         *
         * @param firstTokenNanos the same to the first content token; -1 for a one-piece answer
         */
        default void outsideExpert(long completeNanos, long firstTokenNanos) {
        }

        /**
         * A request that got no complete answer.
         *
         * @param kind   a short class of failure for counting: {@code HTTP 503}, {@code error event},
         *               {@code no [DONE]}, or the exception's simple name
         * @param detail what was seen, for the first error of a run
         */
        void failed(String kind, String detail);
    }

    /** Failure kind of a stream that carried an error event (its status was already 200). */
    static final String ERROR_EVENT = "error event";
    /** Failure kind of a stream that ended without {@code data: [DONE]}. */
    static final String NO_DONE = "no [DONE]";

    private final BenchClient client;
    /** Numbers every request, so that no two prompts are equal and no cache can answer one. */
    private final AtomicLong sequence = new AtomicLong();
    /** Numbers the tags of requests timed by the expert; apart from {@link #sequence}, which picks the prompts. */
    private final AtomicLong tags = new AtomicLong();
    /** Repeated targets whose first request (the one allowed to miss the cache) has been sent. */
    private final java.util.Set<Target> primed = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** How many different prompts to cycle through; 0 for every prompt different. */
    private final long distinctPrompts;
    /** The expert's own times of tagged requests, or null: then requests are not tagged. */
    private final ExpertTimes expertTimes;

    /**
     * @param distinctPrompts 0 to make every prompt different (no cache can answer one); N to cycle through N
     *                        prompts, so that bounded caches on the way (the router's classification cache) reach
     *                        their steady state instead of filling for the whole run
     */
    LoadGenerator(BenchClient client, long distinctPrompts) {
        this(client, distinctPrompts, null);
    }

    /**
     * A load generator that tags every request that is not a repeated one with a unique {@code user} and reports the
     * time each answer spent outside the expert, from the times the expert noted in {@code expertTimes}.
     */
    LoadGenerator(BenchClient client, ExpertTimes expertTimes) {
        this(client, 0, expertTimes);
    }

    private LoadGenerator(BenchClient client, long distinctPrompts, ExpertTimes expertTimes) {
        this.client = client;
        this.distinctPrompts = distinctPrompts;
        this.expertTimes = expertTimes;
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
        return run(target, streaming, concurrency, requests, maxTime, 0);
    }

    /**
     * Like {@link #run(Target, boolean, int, int, Duration)}, but with {@code ratePerSecond > 0} the requests follow a
     * fixed schedule, request {@code i} due at {@code i / rate} seconds after the start, and each is timed from when it
     * was due, not from when a worker got round to it. So a router that falls behind the schedule is charged its
     * backlog (no coordinated omission, as in wrk2), while one that keeps up is measured below saturation, which a
     * closed loop of many clients on two cores never is. {@code 0} is the closed loop.
     */
    RunResult run(Target target, boolean streaming, int concurrency, int requests, Duration maxTime, double ratePerSecond)
            throws InterruptedException {
        long start0 = System.nanoTime();
        Schedule schedule = ratePerSecond > 0 ? Schedule.paced(start0, ratePerSecond, requests) : Schedule.closed(requests);
        long deadline = start0 + maxTime.toNanos();
        List<Future<RunResult>> workers = new ArrayList<>();
        RunResult total = new RunResult();
        long start = start0;
        try (ExecutorService executor = Executors.newThreadPerTaskExecutor(client.workers())) {
            for (int i = 0; i < concurrency; i++) {
                workers.add(executor.submit(() -> work(target, streaming, schedule, deadline)));
            }
            for (Future<RunResult> worker : workers) {
                long left = deadline - System.nanoTime() + DRAIN_TIMEOUT.toNanos();
                try {
                    total.add(worker.get(Math.max(left, 0), TimeUnit.NANOSECONDS));
                } catch (TimeoutException e) {
                    total.failed("worker", "a worker was still waiting for an answer " + DRAIN_TIMEOUT.toSeconds() + " s after the run's time bound");
                    executor.shutdownNow();
                } catch (ExecutionException e) {
                    total.failed("worker", "worker failed: " + e.getCause());
                }
            }
        }
        total.elapsed = Duration.ofNanos(System.nanoTime() - start);
        return total;
    }

    /**
     * Starts {@code concurrency} closed-loop workers sending {@code target} requests in the background until the
     * returned load is {@linkplain Background#close() closed}: traffic that shares the server with what is measured.
     */
    Background background(Target target, boolean streaming, int concurrency) {
        return new Background(this, target, streaming, concurrency);
    }

    /** Background traffic from {@link #background}; closing it stops the workers after their request in flight. */
    static final class Background implements AutoCloseable {
        private final java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        private final java.util.concurrent.atomic.LongAdder answered = new java.util.concurrent.atomic.LongAdder();
        private final java.util.concurrent.atomic.LongAdder failed = new java.util.concurrent.atomic.LongAdder();
        private final ExecutorService workers;

        private Background(LoadGenerator load, Target target, boolean streaming, int concurrency) {
            workers = Executors.newThreadPerTaskExecutor(load.client.workers());
            Call call = new Call(target, streaming);
            Outcomes counting = new Outcomes() {
                @Override
                public void answered(long completeNanos, long firstTokenNanos, String routeMs) {
                    answered.increment();
                }

                @Override
                public void failed(String kind, String detail) {
                    failed.increment();
                }
            };
            for (int i = 0; i < concurrency; i++) {
                workers.submit(() -> load.loop(Long.MAX_VALUE, Schedule.whileTrue(running::get), () -> call, c -> counting));
            }
        }

        /** Answers and failures so far. */
        String summary() {
            return answered.sum() + " answered, " + failed.sum() + " failed";
        }

        @Override
        public void close() {
            running.set(false);
            workers.close();
        }
    }

    /**
     * Keeps {@code concurrency} workers busy until {@code deadline} (a {@link System#nanoTime()}), each request drawn
     * from {@code mix} and its outcome handed to {@code outcomes.apply(call)}, which must be thread-safe. Returns once
     * every worker has finished the request it had in flight at the deadline.
     *
     * @return what went wrong with the workers themselves (not with requests); empty when nothing did
     */
    List<String> runUntil(long deadline, int concurrency, Supplier<Call> mix, Function<Call, Outcomes> outcomes)
            throws InterruptedException {
        List<String> problems = new ArrayList<>();
        List<Future<?>> workers = new ArrayList<>();
        try (ExecutorService executor = Executors.newThreadPerTaskExecutor(client.workers())) {
            for (int i = 0; i < concurrency; i++) {
                workers.add(executor.submit(() -> loop(deadline, Schedule.unbounded(), mix, outcomes)));
            }
            for (Future<?> worker : workers) {
                long left = deadline - System.nanoTime() + DRAIN_TIMEOUT.toNanos();
                try {
                    worker.get(Math.max(left, 0), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    problems.add("a worker was still waiting for an answer " + DRAIN_TIMEOUT.toSeconds() + " s after the deadline");
                    executor.shutdownNow();
                } catch (ExecutionException e) {
                    problems.add("worker failed: " + e.getCause());
                }
            }
        }
        return problems;
    }

    private RunResult work(Target target, boolean streaming, Schedule schedule, long deadline) {
        RunResult result = new RunResult();
        Call call = new Call(target, streaming);
        loop(deadline, schedule, () -> call, c -> result);
        return result;
    }

    private void loop(long deadline, Schedule schedule, Supplier<Call> mix, Function<Call, Outcomes> outcomes) {
        while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
            long due = schedule.next();
            if (due == Schedule.DONE) {
                return;
            }
            Call call = mix.get();
            Outcomes out = outcomes.apply(call);
            String tag = expertTimes == null || call.target().repeated() ? null : "bench-" + tags.incrementAndGet();
            byte[] body = body(call.target(), call.streaming(), tag);
            try {
                long start = Schedule.awaitDue(due);
                if (call.streaming()) {
                    streamOnce(body, call.target(), out, start, tag);
                } else {
                    answerOnce(body, call.target(), out, start, tag);
                }
            } catch (IOException e) {
                out.failed(e.getClass().getSimpleName(), e.getClass().getSimpleName() + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                if (tag != null) {
                    expertTimes.take(tag);  // a failed request's times, if the expert noted any
                }
            }
        }
    }

    /** @param start when the request was due, in {@link System#nanoTime()}; the latencies count from there */
    private void answerOnce(byte[] body, Target target, Outcomes out, long start, String tag)
            throws IOException, InterruptedException {
        try (BenchClient.Reply response = client.send(target.chatUrl(), body, false)) {
            byte[] answer = response.body().readAllBytes();
            long end = System.nanoTime();
            if (response.status() != 200) {
                out.failed("HTTP " + response.status(), "HTTP " + response.status() + ": " + new String(answer, StandardCharsets.UTF_8));
                return;
            }
            if (missedCache(response, target, out)) {
                return;
            }
            out.answered(end - start, 0, routeMs(response, target));
            noteUnclassified(response, target, out);
            noteOutsideExpert(tag, out, end - start, -1);
        }
    }

    /**
     * A repeated request must come from the cache once the first has filled it: anything else would skew the figure.
     * The first request of a repeated target is allowed its miss (it fills the cache).
     */
    private boolean missedCache(BenchClient.Reply response, Target target, Outcomes out) {
        if (!target.repeated()) {
            return false;
        }
        String cache = response.header("x-coe-cache").orElse("absent");
        if (cache.equals("hit") || (cache.equals("miss") && primed.add(target))) {
            return false;
        }
        out.failed("cache " + cache, "expected x-coe-cache: hit, got " + cache);
        return true;
    }

    private void streamOnce(byte[] body, Target target, Outcomes out, long start, String tag)
            throws IOException, InterruptedException {
        try (BenchClient.Reply response = client.send(target.chatUrl(), body, true);
             BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            if (response.status() != 200) {
                out.failed("HTTP " + response.status(), "HTTP " + response.status() + ": " + String.join("\n", lines.lines().toList()));
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
                        out.failed("no content", "stream ended without any content");
                        return;
                    }
                    if (!missedCache(response, target, out)) {
                        out.answered(end - start, firstToken - start, routeMs(response, target));
                        noteUnclassified(response, target, out);
                        noteOutsideExpert(tag, out, end - start, firstToken - start);
                    }
                    readToEnd(lines);
                    return;
                }
                if (line.startsWith("data: {\"error\"")) {
                    out.failed(ERROR_EVENT, "error event: " + line);
                    readToEnd(lines);
                    return;
                }
                if (firstToken == 0 && hasContent(line)) {
                    firstToken = System.nanoTime();
                }
            }
            out.failed(NO_DONE, "stream ended without data: [DONE]");
        }
    }

    /**
     * Reads what follows {@code data: [DONE]} (the chunked body's last, empty chunk) after the answer was timed, as the
     * OpenAI Python SDK does ({@code Stream.__stream__}: "Ensure the entire stream is consumed"), so that the connection
     * can be used again. Closing the body before its end makes the JDK client drop the connection, so every streamed
     * request would open a new one: a TCP handshake and a new server-side connection in every measured request, which
     * the router and the simulated expert do not pay alike (in a profiled run of 2026-12-06, before this, the router saw
     * 7,949 connections closed by the client: about one per streamed request).
     */
    private static void readToEnd(BufferedReader lines) throws IOException {
        while (lines.readLine() != null) {
            // a server that sent anything after [DONE] broke the protocol, but the answer was already counted
        }
    }

    /** True for a chunk whose delta carries text; the first chunk's {@code "content":""} does not count. */
    private static boolean hasContent(String line) {
        int at = line.indexOf("\"content\":\"");
        return at >= 0 && at + 11 < line.length() && line.charAt(at + 11) != '"';
    }

    /** Reports the answer's time outside the expert, when the expert timed it (see {@link ExpertTimes}). */
    private void noteOutsideExpert(String tag, Outcomes out, long completeNanos, long firstTokenNanos) {
        ExpertTimes.Times times = tag == null ? null : expertTimes.take(tag);
        if (times == null || times.doneNanos() < 0) {
            return;
        }
        long outsideFirst = firstTokenNanos < 0 || times.firstTokenNanos() < 0 ? -1 : firstTokenNanos - times.firstTokenNanos();
        out.outsideExpert(completeNanos - times.doneNanos(), outsideFirst);
    }

    private static void noteUnclassified(BenchClient.Reply response, Target target, Outcomes out) {
        if (target.viaRouter() && target.model().equals("auto")
                && response.header("x-coe-category").filter("none"::equals).isPresent()) {
            out.unclassified();
        }
    }

    private static String routeMs(BenchClient.Reply response, Target target) {
        return target.viaRouter() ? response.header("x-coe-route-ms").orElse(null) : null;
    }

    /** @param tag the {@code user} to send, or null for none */
    private byte[] body(Target target, boolean streaming, String tag) {
        long n = sequence.incrementAndGet();
        ObjectNode body = OpenAiWire.JSON.createObjectNode();
        body.put("model", target.model());
        if (target.repeated()) {
            // The same deterministic request every time: after the first, the router answers it from its cache.
            body.putArray("messages").addObject().put("role", "user").put("content", PROMPTS.getFirst());
            body.put("temperature", 0);
        } else {
            long k = distinctPrompts > 0 ? n % distinctPrompts : n;
            body.putArray("messages").addObject()
                    .put("role", "user")
                    .put("content", PROMPTS.get((int) (k % PROMPTS.size())) + " (request " + k + ")");
        }
        if (streaming) {
            body.put("stream", true);
        }
        if (tag != null) {
            body.put("user", tag);
        }
        try {
            return OpenAiWire.JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot happen: a tree of plain values always serializes", e);
        }
    }
}
