package dev.coe.classifier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coe.classifier.TestPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClassifierCliTest {

    @Test
    void should_print_a_json_summary_as_the_last_line_when_evaluating_labelled_prompts(@TempDir Path dir) throws IOException {
        // given: one plain line and one FastChat question line (prompts written for this test)
        Path data = dir.resolve("eval.jsonl");
        Files.write(data, List.of(
                "{\"prompt\": \"Write a Python function that reverses a linked list.\", \"category\": \"coding\"}",
                "{\"question_id\": 1, \"category\": \"math\", \"turns\": [\"What is 17 * 23?\", \"And divided by 2?\"]}"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        // when
        int status = new ClassifierCli(new PrintStream(out, true), new PrintStream(new ByteArrayOutputStream()))
                .run(new String[] {"evaluate", "--data", data.toString(), "--config", TestPaths.configDir().toString()});

        // then
        List<String> lines = out.toString().lines().toList();
        JsonNode summary = new ObjectMapper().readTree(lines.getLast());
        assertThat(status).isZero();
        assertThat(summary.get("n").asInt()).isEqualTo(2);
        assertThat(summary.get("accuracy").asDouble()).isEqualTo(1.0);
        assertThat(summary.has("macro_f1") && summary.has("ece") && summary.has("p50_ms") && summary.has("p99_ms")).isTrue();
    }

    @Test
    void should_exit_with_status_two_and_usage_when_the_command_is_unknown() {
        // given
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        // when
        int status = new ClassifierCli(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true))
                .run(new String[] {"frobnicate"});

        // then
        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("unknown command 'frobnicate'").contains("usage:");
    }
}
