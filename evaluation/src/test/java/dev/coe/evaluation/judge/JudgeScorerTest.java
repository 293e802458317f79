package dev.coe.evaluation.judge;

import dev.coe.evaluation.TinySuite;
import dev.coe.evaluation.report.Figures;
import dev.coe.evaluation.run.ChatEndpoint;
import dev.coe.evaluation.run.ItemRecord;
import dev.coe.evaluation.run.RoutedAnswer;
import dev.coe.evaluation.run.SuiteRun;
import dev.coe.evaluation.run.SuiteRunner;
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

/**
 * Live mode on {@link TinySuite}'s prompts with a fake router: "auto" goes to expert a, an expert id answers as that
 * expert, and the judge (expert "judge") rates answers of a 6 and of b 9, except that it garbles its judgement of
 * any turn-2 answer of b.
 */
class JudgeScorerTest {

    @TempDir
    Path dir;

    private final Map<String, String> judgePrompts = new ConcurrentHashMap<>();

    private final ChatEndpoint fakeRouter = (model, system, messages) -> {
        if (model.equals("judge")) {
            String prompt = messages.getFirst();
            judgePrompts.put(prompt, system);
            boolean b = prompt.contains("answer of b");
            boolean turn2 = prompt.startsWith("T2");
            String judgement = b && turn2 ? "I rate it highly" : b ? "Rating: [[9]]" : "Rating: [[6]]";
            return new RoutedAnswer("judge", null, null, judgement, 1);
        }
        String expert = model.equals("auto") ? "a" : model;
        return new RoutedAnswer(expert, "writing", 0.8, "answer of " + expert + " to " + messages.getLast(), 1);
    };

    @Test
    void should_count_unparseable_judgements_and_grade_every_expert_when_running_live_with_baselines() throws IOException {
        // given
        Suite suite = TinySuite.load(dir, null);
        Path prompts = dir.resolve("judge_prompts.jsonl");
        Files.writeString(prompts, String.join("\n",
                "{\"name\": \"single-v1\", \"system_prompt\": \"S1\", \"prompt_template\": \"T1 {question} {answer}\"}",
                "{\"name\": \"single-math-v1\", \"system_prompt\": \"SM1\", \"prompt_template\": \"T1 {question} {ref_answer_1} {answer}\"}",
                "{\"name\": \"single-v1-multi-turn\", \"system_prompt\": \"S2\", \"prompt_template\": \"T2 {question_1} {answer_1} {question_2} {answer_2}\"}",
                "{\"name\": \"single-math-v1-multi-turn\", \"system_prompt\": \"SM2\", \"prompt_template\": \"T2 {question_1} {ref_answer_1} {answer_1} {question_2} {ref_answer_2} {answer_2}\"}"));
        JudgeScorer judge = new JudgeScorer(fakeRouter, "judge", JudgePrompts.from(prompts));

        // when
        SuiteRun run = new SuiteRunner(fakeRouter, judge, 1, new PrintStream(OutputStream.nullOutputStream()), true)
                .run(suite, "live");

        // then: 4 router turns (a) + 4 direct turns of b judged; b's 2 turn-2 judgements are garbled
        assertThat(judge.parser().parsed()).isEqualTo(6);
        assertThat(judge.parser().unparseable()).isEqualTo(2);
        assertThat(run.records()).extracting(ItemRecord::score).containsExactly(6.0, 6.0, 6.0, 6.0);
        assertThat(run.records().get(1).scores()).containsEntry("a", 6.0).containsEntry("b", null);
        assertThat(judgePrompts).containsEntry("T1 m1 r1 answer of a to m1", "SM1")
                .containsEntry("T2 w1 answer of a to w1 w2 answer of b to w2", "S2");
        Figures f = Figures.of(run);
        assertThat(f.line("b").score()).isEqualTo(9.0);
        assertThat(f.line("oracle").score()).isEqualTo(7.5);
        assertThat(f.unscored()).isZero();
    }
}
