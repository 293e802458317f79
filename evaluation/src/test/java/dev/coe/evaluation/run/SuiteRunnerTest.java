package dev.coe.evaluation.run;

import dev.coe.evaluation.TinySuite;
import dev.coe.evaluation.replay.ReplayServer;
import dev.coe.evaluation.report.Figures;
import dev.coe.evaluation.report.Gate;
import dev.coe.evaluation.report.ReportWriter;
import dev.coe.evaluation.suite.Suite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The runner, the replay server and the figures on {@link TinySuite}, whose answers are known, behind a fake router
 * that sends prompts starting with "w" to expert a and those starting with "m" to b, and calls "w2" roleplay.
 */
class SuiteRunnerTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path dir;

    private final Map<String, List<String>> conversations = new ConcurrentHashMap<>();

    private ChatEndpoint fakeRouter(ReplayServer replay) {
        return (model, system, messages) -> {
            String last = messages.getLast();
            String expert = last.startsWith("w") ? "a" : "b";
            String category = last.equals("w2") ? "roleplay" : last.startsWith("w") ? "writing" : "math";
            conversations.put(last, List.copyOf(messages));
            String base = replay.baseUrl(expert.equals("a") ? "model-a" : "model-b");
            RoutedAnswer a = new RouterClient(base.substring(0, base.length() - "/v1".length()), null, 1)
                    .chat("model", system, messages);
            return new RoutedAnswer(expert, category, 0.9, a.content(), 1.0);
        };
    }

    @Test
    void should_ask_turn_two_with_the_routers_own_turn_one_answer_when_running_a_two_turn_suite() throws IOException {
        // given
        Suite suite = TinySuite.load(dir, 7.0);
        try (ReplayServer replay = ReplayServer.start(List.of(suite))) {
            // when
            SuiteRun run = new SuiteRunner(fakeRouter(replay), new RecordedScorer(), 2, QUIET).run(suite, "replay");

            // then
            assertThat(conversations.get("w2")).containsExactly("w1", "model-a q1 t1", "w2");
            assertThat(conversations.get("m2")).containsExactly("m1", "model-b q2 t1", "m2");
            assertThat(run.records()).extracting(ItemRecord::score).containsExactly(8.0, 6.0, 9.0, 7.0);
            assertThat(run.records()).extracting(ItemRecord::expert).containsExactly("a", "a", "b", "b");
            assertThat(run.answers().get("1")).containsExactly("model-a q1 t1", "model-a q1 t2");
        }
    }

    @Test
    void should_compute_router_baselines_and_oracle_exactly_when_the_answers_are_known() throws IOException {
        // given
        Suite suite = TinySuite.load(dir, 7.0);
        SuiteRun run;
        try (ReplayServer replay = ReplayServer.start(List.of(suite))) {
            run = new SuiteRunner(fakeRouter(replay), new RecordedScorer(), 1, QUIET).run(suite, "replay");
        }

        // when
        Figures f = Figures.of(run);

        // then
        assertThat(f.router().score()).isEqualTo(7.5);
        assertThat(f.line("a").score()).isEqualTo(4.75);
        assertThat(f.line("b").score()).isEqualTo(7.5);
        assertThat(f.line("random").score()).isEqualTo(6.125);
        assertThat(f.line("oracle").score()).isEqualTo(8.5);
        assertThat(f.router().perCategory()).containsEntry("writing", 7.0).containsEntry("math", 8.0);
        assertThat(f.routingAccuracy()).isEqualTo(0.75);
        assertThat(f.router().avgActiveParamsB()).isEqualTo(10.0);
        assertThat(f.router().closedShare()).isEqualTo(0.5);
        assertThat(f.router().avgPrice()).isEqualTo(5.0);
        assertThat(f.line("oracle").closedShare()).isEqualTo(0.75);
        assertThat(f.line("random").closedShare()).isEqualTo(0.5);
        assertThat(f.expertCalls()).containsEntry("a", 2).containsEntry("b", 2);
        assertThat(f.failed()).isZero();
        assertThat(Gate.check(f, 7.0, true).passed()).isTrue();
        assertThat(Gate.check(f, 8.0, true).violations()).singleElement().asString()
                .contains("below the committed threshold");
    }

    @Test
    void should_fail_the_gate_when_the_router_routes_worse_than_random() throws IOException {
        // given: a router that sends writing to b and math to a, the worse expert for each on the first turn
        Suite suite = TinySuite.load(dir, 4.0);
        SuiteRun run;
        try (ReplayServer replay = ReplayServer.start(List.of(suite))) {
            ChatEndpoint good = fakeRouter(replay);
            ChatEndpoint inverted = (model, system, messages) -> {
                String expert = messages.getLast().startsWith("w") ? "b" : "a";
                String base = replay.baseUrl(expert.equals("a") ? "model-a" : "model-b");
                RoutedAnswer a = new RouterClient(base.substring(0, base.length() - 3), null, 1).chat("m", system, messages);
                return new RoutedAnswer(expert, good.chat(model, system, messages).category(), 0.5, a.content(), 1.0);
            };
            run = new SuiteRunner(inverted, new RecordedScorer(), 1, QUIET).run(suite, "replay");
        }

        // when
        Figures f = Figures.of(run);
        Gate gate = Gate.check(f, 4.0, true);

        // then: (4 + 10 + 2 + 3) / 4 against random's 6.125
        assertThat(f.router().score()).isEqualTo(4.75);
        assertThat(gate.passed()).isFalse();
        assertThat(gate.violations()).containsExactly("tiny: router score 4.7500 is below random routing 6.1250");
    }

    @Test
    void should_write_records_with_every_experts_score_when_writing_the_report() throws IOException {
        // given
        Suite suite = TinySuite.load(dir, 7.0);
        SuiteRun run;
        try (ReplayServer replay = ReplayServer.start(List.of(suite))) {
            run = new SuiteRunner(fakeRouter(replay), new RecordedScorer(), 1, QUIET).run(suite, "replay");
        }

        // when
        ReportWriter.write(dir.resolve("out"), List.of(ReportWriter.evaluate(run)));

        // then
        List<String> records = Files.readAllLines(dir.resolve("out/records.jsonl"));
        assertThat(records).hasSize(4);
        assertThat(records.getFirst()).contains("\"suite\":\"tiny\"", "\"item\":\"1\"", "\"turn\":1",
                "\"trueCategory\":\"writing\"", "\"predictedCategory\":\"writing\"", "\"expert\":\"a\"",
                "\"score\":8.0", "\"scores\":{\"a\":8.0,\"b\":4.0}");
        assertThat(Files.readString(dir.resolve("out/tiny.json"))).contains("\"activeParamsB\" : 10.0",
                "\"pricePerMTokens\" : 5.0", "\"refusedAsLeaked\" : [ \"3\" ]");
        assertThat(Files.readString(dir.resolve("out/report.md"))).contains("| **router** | 7.50 |");
        assertThat(Files.readString(dir.resolve("out/tiny.svg"))).startsWith("<svg").contains("router 7.50");
    }

    @Test
    void should_answer_404_when_the_replay_server_does_not_know_the_conversation() throws IOException {
        Suite suite = TinySuite.load(dir, 7.0);
        try (ReplayServer replay = ReplayServer.start(List.of(suite))) {
            String base = replay.baseUrl("model-a");
            RouterClient client = new RouterClient(base.substring(0, base.length() - 3), null, 3);
            assertThatThrownBy(() -> client.chat("m", null, List.of("never recorded")))
                    .isInstanceOf(RouterCallFailedException.class)
                    .hasMessageContaining("404").hasMessageContaining("no recorded conversation")
                    .extracting(e -> ((RouterCallFailedException) e).status()).isEqualTo(404);
            assertThatThrownBy(() -> new RouterClient(replay.baseUrl("model-z").replace("/v1", ""), null, 1)
                    .chat("m", null, List.of("w1"))).hasMessageContaining("no recorded answer of model model-z");
        }
    }

    @Test
    void should_show_rate_and_eta_when_drawing_progress() {
        Progress p = new Progress("tiny", 100, QUIET);
        assertThat(p.line(25, 5.0)).isEqualTo("tiny [#######.......................] 25/100 5.0/s ETA 15s");
    }
}
