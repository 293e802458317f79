package dev.coe.evaluation.judge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JudgePromptsTest {

    @TempDir
    Path dir;

    private JudgePrompts prompts() throws IOException {
        Path file = dir.resolve("judge_prompts.jsonl");
        Files.writeString(file, String.join("\n",
                "{\"name\": \"single-v1\", \"type\": \"single\", \"system_prompt\": \"S\", \"prompt_template\": \"Q={question} A={answer}\", \"output_format\": \"[[rating]]\"}",
                "{\"name\": \"single-math-v1\", \"type\": \"single\", \"system_prompt\": \"SM\", \"prompt_template\": \"Q={question} R={ref_answer_1} A={answer}\", \"output_format\": \"[[rating]]\"}",
                "{\"name\": \"single-v1-multi-turn\", \"type\": \"single\", \"system_prompt\": \"S2\", \"prompt_template\": \"{question_1}|{answer_1}|{question_2}|{answer_2}\", \"output_format\": \"[[rating]]\"}",
                "{\"name\": \"single-math-v1-multi-turn\", \"type\": \"single\", \"system_prompt\": \"SM2\", \"prompt_template\": \"{question_1}|{ref_answer_1}|{answer_1}|{question_2}|{ref_answer_2}|{answer_2}\", \"output_format\": \"[[rating]]\"}"));
        return JudgePrompts.from(file);
    }

    @Test
    void should_use_the_general_prompt_when_the_category_needs_no_reference() throws IOException {
        JudgePrompts.Filled f = prompts().fill("writing", List.of("q1"), List.of("a1"), null, 1);
        assertThat(f.name()).isEqualTo("single-v1");
        assertThat(f.system()).isEqualTo("S");
        assertThat(f.user()).isEqualTo("Q=q1 A=a1");
    }

    @Test
    void should_grade_turn_two_against_both_references_when_the_category_is_math() throws IOException {
        JudgePrompts.Filled f = prompts().fill("math", List.of("q1", "q2"), List.of("a1", "a2"), List.of("r1", "r2"), 2);
        assertThat(f.name()).isEqualTo("single-math-v1-multi-turn");
        assertThat(f.user()).isEqualTo("q1|r1|a1|q2|r2|a2");
    }
}
