package dev.coe.evaluation.optimize;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunRecordsTest {

    private static final String REPORT = """
            {"suite": "mt-bench", "experts": [
              {"id": "gpt-4-1106-preview", "activeParamsB": null, "pricePerMTokens": 20.0},
              {"id": "Mixtral-8x7B-Instruct-v0.1", "activeParamsB": 12.9, "pricePerMTokens": 0.6}]}
            """;

    @Test
    void should_split_items_by_id_and_keep_both_turns_together_when_reading_a_run(@TempDir Path dir) throws Exception {
        // given: item 85 is held out (85 % 5 == 0), item 81 is fitted on; both have two turns
        Path records = dir.resolve("records.jsonl");
        Files.writeString(records, String.join("\n",
                record("81", 1, "writing", "writing", 9.0, 8.0),
                record("81", 2, "writing", "roleplay", 8.0, null),
                record("85", 1, "roleplay", "roleplay", 7.0, 6.0),
                record("85", 2, "roleplay", "roleplay", 6.0, 5.0)) + "\n");
        Path report = dir.resolve("report.json");
        Files.writeString(report, REPORT);

        // when
        RunRecords run = RunRecords.read(records, report);

        // then
        assertThat(run.suite()).isEqualTo("mt-bench");
        assertThat(run.fit()).extracting(Observation::item).containsExactly("mt-bench:81/1", "mt-bench:81/2");
        assertThat(run.heldOut()).extracting(Observation::item).containsExactly("mt-bench:85/1", "mt-bench:85/2");
        assertThat(run.fit().get(1).predictedCategory()).isEqualTo("roleplay");
        assertThat(run.fit().get(1).scores()).containsOnlyKeys("gpt-4-1106-preview"); // null score: not recorded
        assertThat(run.experts()).extracting(ExpertCost::activeParamsB).containsExactly(null, 12.9);
    }

    @Test
    void should_read_only_the_reports_suite_when_the_records_hold_several(@TempDir Path dir) throws Exception {
        // given: one records.jsonl for a run of two suites (as the runner writes it), and the mt-bench report
        Path records = dir.resolve("records.jsonl");
        Files.writeString(records, String.join("\n",
                record("81", 1, "writing", "writing", 9.0, 8.0),
                record("85", 1, "roleplay", "roleplay", 7.0, 6.0),
                record("81", 1, "writing", "writing", 9.0, 8.0).replace("mt-bench", "arena"),
                record("90", 1, "math", "math", 1.0, 0.0).replace("mt-bench", "mmlu-pro")) + "\n");
        Path report = dir.resolve("mt-bench.json");
        Files.writeString(report, REPORT);

        // when
        RunRecords run = RunRecords.read(records, report);

        // then: grades of other suites (another scale) never enter the fit
        assertThat(run.suite()).isEqualTo("mt-bench");
        assertThat(run.fit()).extracting(Observation::item).containsExactly("mt-bench:81/1");
        assertThat(run.heldOut()).extracting(Observation::item).containsExactly("mt-bench:85/1");
    }

    @Test
    void should_say_which_suites_it_skipped_when_the_reports_suite_has_no_records(@TempDir Path dir) throws Exception {
        Path records = dir.resolve("records.jsonl");
        Files.writeString(records, record("81", 1, "writing", "writing", 9.0, 8.0).replace("mt-bench", "arena") + "\n");
        Path report = dir.resolve("mt-bench.json");
        Files.writeString(report, REPORT);

        assertThatThrownBy(() -> RunRecords.read(records, report))
                .isInstanceOf(OptimizerException.InvalidInput.class)
                .hasMessageContaining("suite 'mt-bench'").hasMessageContaining("[arena]");
    }

    @Test
    void should_name_the_file_and_line_when_a_record_lacks_its_predicted_category(@TempDir Path dir) throws Exception {
        Path records = dir.resolve("records.jsonl");
        Files.writeString(records, record("81", 1, "writing", "writing", 1.0, 1.0) + "\n"
                + "{\"suite\": \"mt-bench\", \"item\": \"85\", \"scores\": {}}\n");
        Path report = dir.resolve("report.json");
        Files.writeString(report, REPORT);

        assertThatThrownBy(() -> RunRecords.read(records, report))
                .isInstanceOf(OptimizerException.InvalidInput.class)
                .hasMessageContaining("records.jsonl:2").hasMessageContaining("predictedCategory");
    }

    @Test
    void should_refuse_a_report_without_experts(@TempDir Path dir) throws Exception {
        Path records = dir.resolve("records.jsonl");
        Files.writeString(records, record("81", 1, "writing", "writing", 1.0, 1.0) + "\n");
        Path report = dir.resolve("report.json");
        Files.writeString(report, "{\"experts\": []}");

        assertThatThrownBy(() -> RunRecords.read(records, report))
                .isInstanceOf(OptimizerException.InvalidInput.class).hasMessageContaining("experts");
    }

    @Test
    void should_hold_out_non_numeric_ids_by_a_stable_hash() {
        long heldOut = java.util.stream.IntStream.range(0, 1000).mapToObj(i -> "arena-" + Integer.toHexString(i * 7919))
                .filter(RunRecords::isHeldOut).count();
        assertThat(heldOut).isBetween(150L, 250L);
        assertThat(RunRecords.isHeldOut("abc")).isEqualTo(RunRecords.isHeldOut("abc"));
    }

    private static String record(String item, int turn, String trueCategory, String predicted, Double gpt4, Double mixtral) {
        return String.format(java.util.Locale.ROOT, "{\"suite\": \"mt-bench\", \"item\": \"%s\", \"turn\": %d, "
                        + "\"trueCategory\": \"%s\", \"predictedCategory\": \"%s\", \"confidence\": 0.9, \"expert\": "
                        + "\"gpt-4-1106-preview\", \"score\": %s, \"scores\": {\"gpt-4-1106-preview\": %s, "
                        + "\"Mixtral-8x7B-Instruct-v0.1\": %s}, \"latencyMs\": 1.0}",
                item, turn, trueCategory, predicted, gpt4, gpt4, mixtral);
    }
}
