package dev.coe.it;

import dev.coe.evaluation.replay.ReplayServer;
import dev.coe.evaluation.report.ReportWriter;
import dev.coe.evaluation.run.RecordedScorer;
import dev.coe.evaluation.run.RouterClient;
import dev.coe.evaluation.run.SuiteRun;
import dev.coe.evaluation.run.SuiteRunner;
import dev.coe.evaluation.suite.Suite;
import dev.coe.evaluation.suite.SuiteDefinition;
import dev.coe.evaluation.suite.SuiteLoader;
import dev.coe.evaluation.suite.TrainingDataGuard;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CI run of every suite in {@code config/evaluation/} in replay mode: the real router (classifier, routing
 * table, gateway) in front of experts that answer with recorded answers of real models. Writes the reports under
 * {@code target/evaluation/} and fails when a suite's gate fails (below its committed threshold or below random
 * routing, or any failed call). {@code -Devaluation.accept=true} copies the reports to {@code docs/evaluation/}.
 */
class EvaluationIT {

    private static final Path SUITES = RouterUnderTest.REPO_CONFIG.resolve("evaluation");
    private static final Path OUT = Path.of("target/evaluation").toAbsolutePath();
    private static final Path ACCEPTED = RouterUnderTest.REPO_CONFIG.resolveSibling("docs/evaluation");
    /** Modest: the router, the replay server and this client share two cores in CI. */
    private static final int CONCURRENCY = 4;

    @Test
    void should_pass_every_suite_gate_when_the_real_router_routes_to_recorded_experts() throws IOException {
        // given
        Path data = Path.of(System.getProperty("coe.shared.data", "../../shared/data")).toAbsolutePath().normalize();
        TrainingDataGuard guard = TrainingDataGuard.from(RouterUnderTest.REPO_CONFIG.resolve("classifier/examples.jsonl"));
        List<Suite> suites = new ArrayList<>();
        try (Stream<Path> files = Files.list(SUITES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                suites.add(SuiteLoader.load(SuiteDefinition.load(f, data), guard));
            }
        }
        assertThat(suites).extracting(Suite::name).contains("mt-bench", "arena", "mmlu-pro");

        // when
        List<ReportWriter.Reported> reported = new ArrayList<>();
        try (ReplayServer replay = ReplayServer.start(suites)) {
            for (Suite suite : suites) {
                // No classifier wait limit: on a slow or busy machine it could send some items to the fallback chain
                // unclassified, and the gate must score the routing, not the machine's load.
                try (RouterUnderTest router = RouterUnderTest.start(replay.expertsYaml(suite.definition().experts()),
                        suite.routingYaml(), "logging.level.dev.coe.router.decisions=warn", "coe.classifier-max-wait=1h")) {
                    SuiteRunner runner = new SuiteRunner(new RouterClient(router.baseUrl(), null, 2),
                            new RecordedScorer(), CONCURRENCY, System.out);
                    SuiteRun run = runner.run(suite, "replay");
                    reported.add(ReportWriter.evaluate(run));
                }
            }
        }
        ReportWriter.write(OUT, reported);
        System.out.println(Files.readString(OUT.resolve("report.md")));

        // then
        for (ReportWriter.Reported r : reported) {
            assertThat(r.run().records()).as(r.run().suite().name() + " records")
                    .hasSizeGreaterThanOrEqualTo(r.run().suite().items().size());
            assertThat(r.gate().violations()).as(r.run().suite().name() + " gate").isEmpty();
        }
        if (Boolean.getBoolean("evaluation.accept")) {
            accept();
        }
    }

    /** Copies the reports (not the per-turn records or answers) to docs/evaluation for review. */
    private static void accept() throws IOException {
        Files.createDirectories(ACCEPTED);
        try (Stream<Path> files = Files.list(OUT)) {
            for (Path f : files.filter(p -> p.toString().matches(".*\\.(md|json|svg)$")).toList()) {
                Files.copy(f, ACCEPTED.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
