package dev.coe.classifier.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coe.classifier.CategoryClassifier;
import dev.coe.classifier.Turn;
import dev.coe.classifier.embedding.CachingEmbeddingModel;
import dev.coe.classifier.embedding.EmbeddingCentroidClassifier;
import dev.coe.classifier.embedding.EmbeddingClassifierConfig;
import dev.coe.classifier.embedding.EmbeddingLogisticClassifier;
import dev.coe.classifier.embedding.OnnxSentenceEmbeddingModel;
import dev.coe.classifier.training.JsonLines;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Latency and throughput harness of the router's classifier (not a test: timings depend on the
 * machine). Single-request p50/p99 for a prompt of about 30 tokens (one sentence, and two sentences,
 * whose first is also embedded on its own), one of about 500, the real prompts of 15-30 words of MT-Bench and
 * arena_bench_v1 (each once a round), and the third request of a chat with and without the vector cache; then
 * throughput with 1, 2 and 4 threads. Run from the project root after {@code install}:
 * <pre>
 * ./mvnw -q -B -o -pl category-classifier exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.coe.classifier.bench.ClassifierBenchmark
 * </pre>
 * Without arguments it measures the router's classifier ({@code fromConfig}). To compare variants,
 * pass {@code -Dexec.args="..."} with {@code --embedding <id>} (a bundled model id, or
 * {@code langchain4j-default} for langchain4j's own bge-small class with its default session),
 * {@code --intra-op <n>} and {@code --chunk-tokens <n>}; {@code --rounds <n>} (default 5) sets the rounds of
 * single requests, and {@code --throughput false} measures
 * single requests only; a head not trained for that embedding
 * model is trained from the examples first.
 */
public final class ClassifierBenchmark {

    /** The ~30-token prompt (24 tokens with bge-small's tokenizer); {@code embedding.ForwardPassBenchmark} uses it too. */
    public static final String SHORT = "Can you write a Python function that checks whether two strings are anagrams"
            + " of each other, ignoring spaces and case?";

    /**
     * About 30 tokens in two sentences, so that the instruction sentence is embedded on its own: a
     * second, shorter forward pass, which {@link #SHORT} (one sentence) does not need.
     */
    static final String SHORT_TWO_SENTENCES = "Our nightly backup job failed twice this week. What should I check"
            + " first on the Linux server, and in which log files?";

    static final String LONG = ("Our team keeps a small inventory service. Orders arrive from the web shop, "
            + "each order reserves stock in the warehouse table, and a nightly job releases reservations that were "
            + "never paid. Last week the job released reservations for orders that had been paid, and customers "
            + "received cancellation emails. The job reads the payment status from a replica that can lag by a few "
            + "minutes, and it runs at the same time as the payment reconciliation batch. ").repeat(5)
            + "\n\nGiven the description above, explain the most likely cause of the bug and propose a fix in Java"
            + " with Spring, including how you would test it.";

    /**
     * A chat of three requests, as a client sends it: each request repeats the earlier turns. {@code %d} makes every
     * session's texts its own, so that only what the chat itself repeats can be remembered.
     */
    private static final String[] CHAT_USER = {
        "I am planning a three-day trip to Lisbon in May for a group of %d friends. Which neighbourhoods should we stay in?",
        "We like food and live music. Which of those areas has the best fado bars, and what should %d people budget per night?",
        "Great. Now write a day-by-day itinerary for the %d of us, with one museum each day."};
    private static final String[] CHAT_ASSISTANT = {
        "Alfama and Baixa are central and walkable; Principe Real is quieter and greener.",
        "Alfama has the most fado houses; expect 30-50 euros a person with dinner."};
    private static final int CHAT_SESSIONS = 60;

    private ClassifierBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path config = Files.isDirectory(Path.of("config")) ? Path.of("config") : Path.of("../config");
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        long start = System.nanoTime();
        boolean variant = options.keySet().stream().anyMatch(k -> List.of("embedding", "intra-op", "chunk-tokens").contains(k));
        CategoryClassifier classifier = !variant ? EmbeddingLogisticClassifier.fromConfig(config)
                : variant(config, options);
        System.out.printf("load %s: %d ms; %d cores%n", classifier.version(), (System.nanoTime() - start) / 1_000_000,
                Runtime.getRuntime().availableProcessors());
        System.out.printf("short prompt: %d words; long prompt: %d words%n", SHORT.split("\\s+").length,
                LONG.split("\\s+").length);
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "5"));
        List<long[]> shortRounds = new ArrayList<>();
        List<long[]> twoSentenceRounds = new ArrayList<>();
        List<long[]> longRounds = new ArrayList<>();
        List<long[]> realRounds = new ArrayList<>();
        List<String> real = realShortPrompts();
        real.forEach(prompt -> classifier.classify(List.of(Turn.user(prompt))));
        warmUp(classifier, SHORT);
        warmUp(classifier, SHORT_TWO_SENTENCES);
        warmUp(classifier, LONG);
        // Rounds of each prompt in turn: a VM's speed drifts over seconds, and one long run would
        // take a passing slow spell for the figure (module README, "Latency benchmark").
        for (int r = 0; r < rounds; r++) {
            shortRounds.add(single(classifier, SHORT, 300));
            twoSentenceRounds.add(single(classifier, SHORT_TWO_SENTENCES, 300));
            longRounds.add(single(classifier, LONG, 60));
            if (!real.isEmpty()) {
                realRounds.add(eachOnce(classifier, real));
            }
        }
        report("~30 tokens", shortRounds, classifier.classify(List.of(Turn.user(SHORT))).category().toString());
        report("~30 tokens, 2 sentences", twoSentenceRounds,
                classifier.classify(List.of(Turn.user(SHORT_TWO_SENTENCES))).category().toString());
        report("~500 tokens", longRounds, classifier.classify(List.of(Turn.user(LONG))).category().toString());
        if (!real.isEmpty()) {
            report("real prompts of 15-30 words", realRounds, "their own categories, each prompt once a round");
        }
        if (!variant) {
            chat(config, classifier, rounds);
        }
        if (options.getOrDefault("throughput", "true").equals("false")) {
            return;
        }
        for (int threads : new int[] {1, 2, 4}) {
            throughput(classifier, threads, SHORT, "short");
        }
        for (int threads : new int[] {1, 2}) {
            throughput(classifier, threads, LONG, "long");
        }
    }

    private static CategoryClassifier variant(Path config, Map<String, String> options) {
        String id = options.getOrDefault("embedding", EmbeddingLogisticClassifier.DEFAULT_EMBEDDING_MODEL_ID);
        int intraOp = Integer.parseInt(options.getOrDefault("intra-op",
                String.valueOf(OnnxSentenceEmbeddingModel.DEFAULT_INTRA_OP_THREADS)));
        EmbeddingModel model = id.equals("langchain4j-default") ? new BgeSmallEnV15QuantizedEmbeddingModel()
                : OnnxSentenceEmbeddingModel.of(OnnxSentenceEmbeddingModel.Bundled.fromId(id), intraOp);
        String modelId = id.equals("langchain4j-default") ? "bge-small-en-v1.5-q" : id;
        EmbeddingClassifierConfig tuning = EmbeddingClassifierConfig.builder().chunkTokens(Integer.parseInt(
                options.getOrDefault("chunk-tokens", String.valueOf(EmbeddingClassifierConfig.DEFAULT_CHUNK_TOKENS))))
                .build();
        System.out.printf("variant: %s, %s%n", model, tuning);
        return EmbeddingLogisticClassifier.fromConfig(config, model, modelId, tuning);
    }

    private static void warmUp(CategoryClassifier classifier, String prompt) {
        for (int i = 0; i < 20; i++) {
            classifier.classify(List.of(Turn.user(prompt)));
        }
    }

    /** One round: {@code iterations} single requests one after another, sorted nanoseconds. */
    private static long[] single(CategoryClassifier classifier, String prompt, int iterations) {
        List<Turn> conversation = List.of(Turn.user(prompt));
        long[] nanos = new long[iterations];
        for (int i = 0; i < iterations; i++) {
            long t = System.nanoTime();
            classifier.classify(conversation);
            nanos[i] = System.nanoTime() - t;
        }
        Arrays.sort(nanos);
        return nanos;
    }

    /**
     * The first turns of 15 to 30 words (about 20 to 40 tokens) of MT-Bench and arena_bench_v1: prompts of the issue's
     * "about 30 tokens" as people wrote them, one sentence or several, beside the one fixed {@link #SHORT} prompt. Read
     * from {@code -Dcoe.shared.data} (default {@code ../shared/data}); empty, with a note, when it is missing. Only
     * their text is used, for timing; nothing is trained on them.
     */
    private static List<String> realShortPrompts() throws IOException {
        Path shared = Path.of(System.getProperty("coe.shared.data", "../shared/data"));
        List<String> prompts = new ArrayList<>();
        for (String file : List.of("mt_bench/question.jsonl", "arena_bench_v1/question.jsonl")) {
            Path path = shared.resolve(file);
            if (!Files.isRegularFile(path)) {
                System.out.println("no " + path + ": the real-prompt row is left out");
                return List.of();
            }
            for (JsonNode row : JsonLines.read(path)) {
                String prompt = row.path("turns").path(0).asText();
                int words = prompt.strip().split("\\s+").length;
                if (words >= 15 && words <= 30) {
                    prompts.add(prompt);
                }
            }
        }
        return prompts;
    }

    /** One round: each prompt classified once, in order; sorted nanoseconds. */
    private static long[] eachOnce(CategoryClassifier classifier, List<String> prompts) {
        long[] nanos = new long[prompts.size()];
        for (int i = 0; i < prompts.size(); i++) {
            List<Turn> conversation = List.of(Turn.user(prompts.get(i)));
            long t = System.nanoTime();
            classifier.classify(conversation);
            nanos[i] = System.nanoTime() - t;
        }
        Arrays.sort(nanos);
        return nanos;
    }

    /**
     * The third request of a chat, with the router's vector cache ({@link CachingEmbeddingModel}) and without it,
     * in alternating rounds of fresh sessions: request one and two go first, as a client sends them, untimed.
     */
    private static void chat(Path config, CategoryClassifier uncached, int rounds) {
        CategoryClassifier cached = EmbeddingLogisticClassifier.fromConfig(config, new CachingEmbeddingModel(
                EmbeddingCentroidClassifier.defaultEmbeddingModel(), CachingEmbeddingModel.DEFAULT_MAX_BYTES),
                EmbeddingLogisticClassifier.DEFAULT_EMBEDDING_MODEL_ID);
        List<long[]> withCache = new ArrayList<>();
        List<long[]> without = new ArrayList<>();
        int session = 1_000; // the warm-up's sessions come first and are not timed
        chatRound(cached, session, 20);
        chatRound(uncached, session + 20, 20);
        session += 40;
        for (int r = 0; r < rounds; r++) {
            withCache.add(chatRound(cached, session, CHAT_SESSIONS));
            without.add(chatRound(uncached, session + CHAT_SESSIONS, CHAT_SESSIONS));
            session += 2 * CHAT_SESSIONS;
        }
        String category = cached.classify(chatRequest(7, 3)).category();
        report("chat, 3rd request, vector cache", withCache, category);
        report("chat, 3rd request, no cache", without, uncached.classify(chatRequest(7, 3)).category());
    }

    /** {@code sessions} chats from number {@code first}; the sorted nanoseconds of each one's third request. */
    private static long[] chatRound(CategoryClassifier classifier, int first, int sessions) {
        long[] nanos = new long[sessions];
        for (int s = 0; s < sessions; s++) {
            classifier.classify(chatRequest(first + s, 1));
            classifier.classify(chatRequest(first + s, 2));
            List<Turn> third = chatRequest(first + s, 3);
            long t = System.nanoTime();
            classifier.classify(third);
            nanos[s] = System.nanoTime() - t;
        }
        Arrays.sort(nanos);
        return nanos;
    }

    /** Request {@code n} (1-3) of chat {@code session}: its user turns so far, with the answers between them. */
    private static List<Turn> chatRequest(int session, int n) {
        List<Turn> turns = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                turns.add(new Turn(Turn.Role.ASSISTANT, CHAT_ASSISTANT[i - 1]));
            }
            turns.add(Turn.user(CHAT_USER[i].formatted(session)));
        }
        return turns;
    }

    /** Each round's p50, their median and range, and p90/p99 over all rounds' requests together. */
    private static void report(String label, List<long[]> rounds, String category) {
        double[] p50s = rounds.stream().mapToDouble(r -> r[r.length / 2] / 1e6).sorted().toArray();
        long[] all = rounds.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        System.out.printf("single request %-12s p50 %6.1f ms (rounds %.1f-%.1f)  p90 %6.1f ms  p99 %6.1f ms"
                        + "  (%d rounds of %d, -> %s)%n", label, p50s[p50s.length / 2], p50s[0], p50s[p50s.length - 1],
                all[all.length * 9 / 10] / 1e6, all[all.length * 99 / 100] / 1e6, rounds.size(), rounds.get(0).length,
                category);
    }

    private static void throughput(CategoryClassifier classifier, int threads, String prompt, String label)
            throws Exception {
        List<Turn> conversation = List.of(Turn.user(prompt));
        AtomicBoolean stop = new AtomicBoolean();
        List<Future<Integer>> counts = new ArrayList<>();
        long seconds = 5;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                counts.add(pool.submit(() -> {
                    int n = 0;
                    while (!stop.get()) {
                        classifier.classify(conversation);
                        n++;
                    }
                    return n;
                }));
            }
            Thread.sleep(seconds * 1000);
            stop.set(true);
        }
        int total = 0;
        for (Future<Integer> c : counts) {
            total += c.get();
        }
        System.out.printf("throughput %-5s prompt, %d thread(s): %6.1f requests/s (mean %.1f ms per request per thread)%n",
                label, threads, total / (double) seconds, threads * seconds * 1000.0 / total);
    }
}
