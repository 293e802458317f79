package dev.coe.classifier.evaluation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabelFileTest {

    private static final List<String> CATEGORIES = List.of("math", "coding", "stem");

    @Test
    void should_read_labels_alternatives_and_none_when_comments_and_a_header_surround_them(@TempDir Path dir)
            throws IOException {
        // given
        Path file = dir.resolve("labels.csv");
        Files.write(file, List.of("# how the labels were made", "question_id,category,alternative",
                "q1,math,", "q2,coding,stem", "", "q3,none", "q4,stem,none"));

        // when
        Map<String, LabelFile.Label> labels = LabelFile.load(file, CATEGORIES);

        // then
        assertThat(labels).containsOnlyKeys("q1", "q2", "q3", "q4");
        assertThat(labels.get("q1")).isEqualTo(new LabelFile.Label("math", Optional.empty()));
        assertThat(labels.get("q2").alsoAccepted()).containsExactly("stem");
        assertThat(labels.get("q3").isNone()).isTrue();
        assertThat(labels.get("q4").alsoAccepted()).as("'none' as alternative accepts nothing more").isEmpty();
    }

    @Test
    void should_throw_illegal_argument_naming_file_and_line_when_a_category_is_unknown(@TempDir Path dir)
            throws IOException {
        // given
        Path file = dir.resolve("labels.csv");
        Files.write(file, List.of("# comment", "q1,math", "q2,codng"));

        // when / then
        assertThatThrownBy(() -> LabelFile.load(file, CATEGORIES))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("labels.csv:3:").hasMessageContaining("'codng'");
    }

    @Test
    void should_throw_illegal_argument_when_a_question_id_is_labelled_twice(@TempDir Path dir) throws IOException {
        // given
        Path file = dir.resolve("labels.csv");
        Files.write(file, List.of("q1,math", "q1,stem"));

        // when / then
        assertThatThrownBy(() -> LabelFile.load(file, CATEGORIES))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("labels.csv:2:").hasMessageContaining("labelled twice");
    }
}
