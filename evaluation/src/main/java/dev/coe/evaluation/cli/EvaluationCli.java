package dev.coe.evaluation.cli;

import dev.coe.evaluation.judge.ChoiceScorer;
import dev.coe.evaluation.judge.JudgePrompts;
import dev.coe.evaluation.judge.JudgeScorer;
import dev.coe.evaluation.report.ReportWriter;
import dev.coe.evaluation.run.RouterClient;
import dev.coe.evaluation.run.Scorer;
import dev.coe.evaluation.run.SuiteRun;
import dev.coe.evaluation.run.SuiteRunner;
import dev.coe.evaluation.suite.InvalidSuiteException;
import dev.coe.evaluation.suite.Suite;
import dev.coe.evaluation.suite.SuiteDefinition;
import dev.coe.evaluation.suite.SuiteFormat;
import dev.coe.evaluation.suite.SuiteLoader;
import dev.coe.evaluation.suite.TrainingDataGuard;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Live evaluation from the command line: every conversation of the given suites goes through a running router's
 * HTTP API, an LLM judge (an expert of that router) grades MT-Bench and arena turns, MMLU-Pro is scored by the
 * chosen letter, and the reports are written like the replay run's. The router's API key, if it needs one, is
 * read from the environment variable {@code COE_ROUTER_API_KEY}. Replay mode runs in {@code ./mvnw verify}
 * ({@code EvaluationIT}), because it needs the router in-process. Exit status: 0 all gates passed, 1 a gate
 * failed, 2 bad arguments or data.
 */
public final class EvaluationCli {

    static final String USAGE = """
            usage: EvaluationCli --router URL --suite FILE [--suite FILE ...] [--judge EXPERT_ID]
                                 [--data DIR] [--examples FILE] [--out DIR] [--concurrency N] [--retries N]
                                 [--baselines] [--limit N]
              --router       base URL of a running router, e.g. http://localhost:8080
              --suite        a suite file (config/evaluation/*.yaml); its experts are the router's expert ids
              --judge        expert id of the judge (required for mt-bench and arena suites)
              --data         shared data directory (default ../shared/data, against the repository root)
              --examples     the classifier's training examples (default config/classifier/examples.jsonl)
              --out          report directory (default target/evaluation-live)
              --concurrency  conversations in flight (default 4); --retries attempts per call (default 3)
              --baselines    also ask every expert of the suite directly, for the single-expert, random and
                             oracle lines (costs one call per expert per turn, plus judge calls)
              --limit        score only the first N items of each suite (a smoke run)
            """;

    private EvaluationCli() {
    }

    public static void main(String[] args) throws IOException {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        try {
            System.exit(run(o));
        } catch (InvalidSuiteException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }

    static int run(Options o) throws IOException {
        TrainingDataGuard guard = TrainingDataGuard.from(o.examples());
        RouterClient client = new RouterClient(o.router(), System.getenv("COE_ROUTER_API_KEY"), o.retries());
        JudgePrompts prompts = JudgePrompts.from(o.data().resolve("mt_bench/judge_prompts.jsonl"));
        List<ReportWriter.Reported> reported = new ArrayList<>();
        for (Path file : o.suites()) {
            Suite loaded = SuiteLoader.load(SuiteDefinition.load(file, o.data()), guard, false);
            Suite suite = o.limit() == null ? loaded : new Suite(loaded.definition(),
                    loaded.items().subList(0, Math.min(o.limit(), loaded.items().size())), loaded.routingYaml(),
                    loaded.routingNote(), loaded.leakedItems(), loaded.missingGrades());
            if (!suite.leakedItems().isEmpty()) {
                System.err.println("REFUSED " + suite.leakedItems().size() + " items of " + suite.name()
                        + " whose prompts are in the classifier's training data: " + suite.leakedItems());
            }
            Scorer scorer;
            JudgeScorer judge = null;
            if (suite.definition().format() == SuiteFormat.MMLU_PRO) {
                scorer = new ChoiceScorer();
            } else if (o.judge() == null) {
                throw new InvalidSuiteException("suite " + suite.name() + " needs a judge: pass --judge EXPERT_ID");
            } else {
                scorer = judge = new JudgeScorer(client, o.judge(), prompts);
            }
            SuiteRun run = new SuiteRunner(client, scorer, o.concurrency(), System.err, o.baselines()).run(suite, "live");
            String note = judge != null
                    ? "judge %s: %d ratings parsed, %d judgements unparseable, %d judge calls failed (those turns are unscored)"
                            .formatted(o.judge(), judge.parser().parsed(), judge.parser().unparseable(), judge.failedCalls())
                    : "%d answers chose no letter (scored 0)".formatted(((ChoiceScorer) scorer).noChoice());
            System.err.println(suite.name() + ": " + note);
            reported.add(ReportWriter.evaluate(run.withNote(note)));
        }
        ReportWriter.write(o.out(), reported);
        System.out.println("reports written to " + o.out().toAbsolutePath());
        boolean passed = reported.stream().allMatch(r -> r.gate().passed());
        reported.forEach(r -> r.gate().violations().forEach(v -> System.err.println("GATE: " + v)));
        return passed ? 0 : 1;
    }
}
