package dev.coe.evaluation.suite;

import dev.coe.evaluation.TinySuite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SuiteLoaderTest {

    @TempDir
    Path dir;

    @Test
    void should_refuse_leaked_items_and_leave_out_items_with_a_missing_grade_when_loading() throws IOException {
        // when
        Suite suite = TinySuite.load(dir, 7.0);

        // then
        assertThat(suite.items()).extracting(SuiteItem::id).containsExactly("1", "2");
        assertThat(suite.leakedItems()).containsExactly("3");
        assertThat(suite.missingGrades()).isEqualTo(1);
        SuiteItem q2 = suite.items().get(1);
        assertThat(q2.trueCategory()).isEqualTo("math");
        assertThat(q2.reference()).containsExactly("r1", "r2");
        assertThat(q2.score("model-b", 2)).isEqualTo(7.0);
        assertThat(q2.answer("model-a", 1)).isEqualTo("model-a q2 t1");
    }

    @Test
    void should_name_the_field_when_the_suite_file_lacks_one() throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "name: bad\nformat: mt-bench\nexperts: [{id: a, model: m}]\nrouting: x\n");
        assertThatThrownBy(() -> SuiteDefinition.load(file, dir)).isInstanceOf(InvalidSuiteException.class)
                .hasMessageContaining("data must be set");
    }

    @Test
    void should_list_the_formats_when_the_format_is_unknown() {
        assertThatThrownBy(() -> SuiteFormat.of("mt_bench")).isInstanceOf(InvalidSuiteException.class)
                .hasMessage("format must be one of mt-bench, arena, mmlu-pro, but was mt_bench");
    }
}
