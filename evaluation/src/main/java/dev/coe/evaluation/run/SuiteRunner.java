package dev.coe.evaluation.run;

import dev.coe.evaluation.suite.ExpertSpec;
import dev.coe.evaluation.suite.Suite;
import dev.coe.evaluation.suite.SuiteItem;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Sends every item of a suite through the router, turn by turn, and scores each answer. Turn 2 of a two-turn item
 * is asked with the answer the router gave to turn 1 in context (MT-Bench's protocol), and is routed again: the
 * router may pick another expert for it. Items run concurrently on {@code concurrency} threads; the turns of one
 * item in order. A failed call is recorded with its error and no score, never dropped. Thread-safe.
 */
public final class SuiteRunner {

    private final ChatEndpoint client;
    private final Scorer scorer;
    private final int concurrency;
    private final PrintStream progressOut;
    private final boolean liveBaselines;

    public SuiteRunner(ChatEndpoint client, Scorer scorer, int concurrency, PrintStream progressOut) {
        this(client, scorer, concurrency, progressOut, false);
    }

    /**
     * @param liveBaselines live mode: also send every turn to every expert of the suite directly (by its id, with
     *                      the router's earlier answers as context) and score those answers, so that the single
     *                      experts, random routing and the oracle can be reported beside the router
     */
    public SuiteRunner(ChatEndpoint client, Scorer scorer, int concurrency, PrintStream progressOut,
                       boolean liveBaselines) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, but was " + concurrency);
        }
        this.client = client;
        this.scorer = scorer;
        this.concurrency = concurrency;
        this.progressOut = progressOut;
        this.liveBaselines = liveBaselines;
    }

    public SuiteRun run(Suite suite, String mode) {
        long start = System.nanoTime();
        Progress progress = new Progress(suite.name(), suite.items().size(), progressOut);
        Map<String, List<String>> answers = new ConcurrentHashMap<>();
        List<Future<List<ItemRecord>>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(concurrency)) {
            for (SuiteItem item : suite.items()) {
                futures.add(pool.submit(() -> {
                    List<ItemRecord> records = runItem(suite, item, answers);
                    progress.step();
                    return records;
                }));
            }
            List<ItemRecord> records = new ArrayList<>();
            for (Future<List<ItemRecord>> f : futures) {
                records.addAll(f.get());
            }
            Map<String, Integer> order = new LinkedHashMap<>();
            suite.items().forEach(i -> order.put(i.id(), order.size()));
            records.sort(Comparator.<ItemRecord>comparingInt(r -> order.get(r.item())).thenComparingInt(ItemRecord::turn));
            return new SuiteRun(suite, mode, records, answers, (System.nanoTime() - start) / 1e9, List.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + suite.name(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("running " + suite.name() + " failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** The conversation of one item: turn t is [q1, a1, ..., qt], each a the router's own earlier answer. */
    List<ItemRecord> runItem(Suite suite, SuiteItem item, Map<String, List<String>> answersOut) {
        List<ItemRecord> records = new ArrayList<>();
        List<String> conversation = new ArrayList<>();
        List<String> answers = new ArrayList<>();
        for (int turn = 1; turn <= suite.turns(); turn++) {
            conversation.add(item.turns().get(turn - 1));
            Map<String, Double> recorded = new LinkedHashMap<>();
            for (ExpertSpec e : suite.definition().experts()) {
                recorded.put(e.id(), item.score(e.model(), turn));
            }
            RoutedAnswer answer;
            try {
                answer = client.chat("auto", null, conversation);
            } catch (RouterCallFailedException e) {
                records.add(new ItemRecord(suite.name(), item.id(), turn, item.trueCategory(), null, null, null, null,
                        recorded, 0, e.getMessage()));
                break; // a later turn needs this turn's answer in context
            }
            answers.add(answer.content() == null ? "" : answer.content());
            Double score = scorer.score(suite, item, turn, answers, answer);
            if (liveBaselines) {
                scoreEveryExpert(suite, item, turn, conversation, answers, answer, score, recorded);
            }
            records.add(new ItemRecord(suite.name(), item.id(), turn, item.trueCategory(), answer.category(),
                    answer.confidence(), answer.expert(), score, recorded, answer.latencyMs(),
                    score == null ? "no score (judgement unparseable or answer not gradable)" : null));
            conversation.add(answers.getLast());
        }
        answersOut.put(item.id(), List.copyOf(answers));
        return records;
    }

    /** The router's own expert keeps the score of the answer it gave; every other expert is asked directly. */
    private void scoreEveryExpert(Suite suite, SuiteItem item, int turn, List<String> conversation, List<String> answers,
                                  RoutedAnswer routed, Double routedScore, Map<String, Double> scores) {
        for (ExpertSpec e : suite.definition().experts()) {
            if (e.id().equals(routed.expert())) {
                scores.put(e.id(), routedScore);
                continue;
            }
            try {
                RoutedAnswer direct = client.chat(e.id(), null, conversation);
                List<String> theirs = new ArrayList<>(answers.subList(0, answers.size() - 1));
                theirs.add(direct.content() == null ? "" : direct.content());
                scores.put(e.id(), scorer.score(suite, item, turn, theirs, direct));
            } catch (RouterCallFailedException ex) {
                scores.put(e.id(), null);
            }
        }
    }
}
