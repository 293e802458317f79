package dev.coe.classifier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coe.classifier.TestPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClassifierCliTest {

    /** What one run printed, and its exit status. */
    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new ClassifierCli(new PrintStream(out, true), new PrintStream(err, true)).run(args);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void should_print_a_json_summary_as_the_last_line_when_evaluating_labelled_prompts(@TempDir Path dir) throws IOException {
        // given: one plain line and one FastChat question line (prompts written for this test)
        Path data = dir.resolve("eval.jsonl");
        Files.write(data, List.of(
                "{\"prompt\": \"Write a Python function that reverses a linked list.\", \"category\": \"coding\"}",
                "{\"question_id\": 1, \"category\": \"math\", \"turns\": [\"What is 17 * 23?\", \"And divided by 2?\"]}"));

        // when
        Run run = run("evaluate", "--data", data.toString(), "--config", TestPaths.configDir().toString());

        // then
        List<String> lines = run.out().lines().toList();
        JsonNode summary = new ObjectMapper().readTree(lines.getLast());
        assertThat(run.status()).isZero();
        assertThat(summary.get("n").asInt()).isEqualTo(2);
        assertThat(summary.get("accuracy").asDouble()).isEqualTo(1.0);
        assertThat(summary.has("macro_f1") && summary.has("ece") && summary.has("p50_ms") && summary.has("p99_ms")).isTrue();
    }

    @Test
    void should_join_a_label_file_and_leave_none_prompts_out_of_accuracy_when_labels_are_given(@TempDir Path dir)
            throws IOException {
        // given: FastChat lines without categories (prompts written for this test), labels kept apart
        Path data = dir.resolve("questions.jsonl");
        Files.write(data, List.of(
                "{\"question_id\": \"a1\", \"turns\": [\"Write a Python function that reverses a linked list.\"]}",
                "{\"question_id\": \"a2\", \"turns\": [\"What is 17 * 23?\"]}",
                "{\"question_id\": \"a3\", \"turns\": [\"Recommend me three films for a rainy Sunday.\"]}"));
        Path labels = dir.resolve("labels.csv");
        Files.write(labels, List.of("# test labels", "question_id,category,alternative", "a1,coding,", "a2,stem,math",
                "a3,none,"));

        // when
        Run run = run("evaluate", "--data", data.toString(), "--labels", labels.toString(),
                "--config", TestPaths.configDir().toString());

        // then: a2 is math, right only leniently
        List<String> lines = run.out().lines().toList();
        JsonNode summary = new ObjectMapper().readTree(lines.getLast());
        assertThat(run.status()).isZero();
        assertThat(summary.get("n").asInt()).isEqualTo(2);
        assertThat(summary.get("unlabelled").asInt()).isEqualTo(1);
        assertThat(summary.get("accuracy").asDouble()).isEqualTo(0.5);
        assertThat(summary.get("lenient_accuracy").asDouble()).isEqualTo(1.0);
        assertThat(run.out()).contains("1 prompts labelled 'none' are classified but not scored")
                .contains("predicted categories over all 3 prompts (1 unlabelled included)");
    }

    @Test
    void should_score_only_the_mapped_evaluation_split_when_given_mmlu_pro_rows(@TempDir Path dir) throws IOException {
        // given: MMLU-Pro-shaped rows written for this test; ids 10 and 20 are in the evaluation split
        Path data = dir.resolve("mmlu.jsonl");
        Files.write(data, List.of(
                "{\"question_id\": 10, \"category\": \"math\", \"question\": \"Solve 3x + 4 = 19 for x.\", "
                        + "\"options\": [\"3\", \"5\", \"7\"], \"answer\": \"B\"}",
                "{\"question_id\": 11, \"category\": \"math\", \"question\": \"What is 2 + 2?\", "
                        + "\"options\": [\"4\", \"5\"], \"answer\": \"A\"}",
                "{\"question_id\": 20, \"category\": \"other\", \"question\": \"Which colour is a ripe banana?\", "
                        + "\"options\": [\"Yellow\", \"Blue\"], \"answer\": \"A\"}"));

        // when
        Run run = run("evaluate", "--data", data.toString(), "--config", TestPaths.configDir().toString());

        // then
        List<String> lines = run.out().lines().toList();
        assertThat(run.status()).isZero();
        assertThat(new ObjectMapper().readTree(lines.getLast()).get("n").asInt()).isEqualTo(1);
        assertThat(run.out()).contains("skipped MMLU-Pro rows: 1 of the training split, 1 of a subject without a category");
    }

    @Test
    void should_classify_with_two_onnx_threads_when_asked(@TempDir Path dir) throws IOException {
        // given (a prompt written for this test)
        Path in = dir.resolve("prompts.jsonl");
        Files.write(in, List.of("{\"prompt\": \"Write a Python function that reverses a linked list.\"}"));

        // when
        Run run = run("classify", "--in", in.toString(), "--onnx-threads", "2",
                "--config", TestPaths.configDir().toString());

        // then
        assertThat(run.status()).isZero();
        JsonNode result = new ObjectMapper().readTree(run.out().lines().toList().getLast());
        assertThat(result.get("category").asText()).isEqualTo("coding");
    }

    @Test
    void should_classify_the_other_lines_and_put_an_error_in_place_of_each_bad_line_when_some_lines_are_bad(@TempDir Path dir)
            throws IOException {
        // given: two good lines (prompts written for this test) around three bad ones and a blank line
        Path in = dir.resolve("prompts.jsonl");
        Files.write(in, List.of(
                "{\"id\": \"a\", \"prompt\": \"Write a Python function that reverses a linked list.\"}",
                "{\"id\": \"b\", \"prompt\": \"unclosed",
                "",
                "{\"id\": \"c\", \"prompt\": 5}",
                "{\"id\": \"d\", \"prompt\": \"   \"}",
                "{\"id\": \"e\", \"prompt\": \"Solve 2x + 3 = 7 for x.\"}"));

        // when
        Run run = run("classify", "--in", in.toString(), "--config", TestPaths.configDir().toString());

        // then: one output line per non-blank input line, in order
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> results = run.out().lines().map(line -> {
            try {
                return json.readTree(line);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }).toList();
        assertThat(run.status()).isEqualTo(2);
        assertThat(results).hasSize(5);
        assertThat(results.get(0).get("category").asText()).isEqualTo("coding");
        assertThat(results.get(1).get("line").asInt()).isEqualTo(2);
        assertThat(results.get(1).get("error").get("message").asText()).startsWith("not valid JSON");
        assertThat(results.get(2).get("id").asText()).isEqualTo("c");
        assertThat(results.get(2).get("line").asInt()).isEqualTo(4);
        assertThat(results.get(2).get("error").get("message").asText()).isEqualTo("'prompt' must be a string, but was 5");
        assertThat(results.get(3).get("error").get("message").asText()).contains("nothing to classify");
        assertThat(results.get(4).get("id").asText()).isEqualTo("e");
        assertThat(results.get(4).get("category").asText()).isEqualTo("math");
        assertThat(run.err())
                .contains(in + ":4: 'prompt' must be a string, but was 5")
                .contains("3 of 5 input lines could not be classified");
    }

    @Test
    void should_name_the_file_and_line_and_exit_with_status_two_when_an_evaluation_line_has_no_text(@TempDir Path dir)
            throws IOException {
        // given
        Path data = dir.resolve("eval.jsonl");
        Files.write(data, List.of(
                "{\"prompt\": \"Write a Python function that reverses a linked list.\", \"category\": \"coding\"}",
                "{\"prompt\": \"\", \"category\": \"math\"}"));

        // when
        Run run = run("evaluate", "--data", data.toString(), "--config", TestPaths.configDir().toString());

        // then
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("error: " + data + ":2: nothing to classify");
    }

    @Test
    void should_exit_with_status_two_and_name_the_file_when_the_input_does_not_exist(@TempDir Path dir) {
        // given
        Path missing = dir.resolve("missing.jsonl");

        // when
        Run run = run("classify", "--in", missing.toString(), "--config", TestPaths.configDir().toString());

        // then
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("error: file not found: " + missing);
    }

    @ParameterizedTest
    @ValueSource(strings = {"two", "0", "65"})
    void should_exit_with_status_two_and_name_the_option_when_onnx_threads_is_not_a_thread_count(String value) {
        // when
        Run run = run("classify", "--onnx-threads", value, "--config", TestPaths.configDir().toString());

        // then
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("--onnx-threads must be a whole number from 1 to 64, but was '" + value + "'");
    }

    @Test
    void should_exit_with_status_two_and_usage_when_the_command_is_unknown() {
        // when
        Run run = run("frobnicate");

        // then
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("unknown command 'frobnicate'").contains("usage:");
    }
}
