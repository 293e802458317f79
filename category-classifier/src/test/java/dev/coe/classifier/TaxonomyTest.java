package dev.coe.classifier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaxonomyTest {

    @TempDir
    Path dir;

    @Test
    void should_load_the_eight_mt_bench_categories_in_file_order_when_reading_the_project_config() {
        // given
        Path file = TestPaths.configDir().resolve("categories.yaml");

        // when
        Taxonomy taxonomy = Taxonomy.load(file);

        // then
        assertThat(taxonomy.ids()).containsExactly(
                "writing", "roleplay", "reasoning", "math", "coding", "extraction", "stem", "humanities");
        assertThat(taxonomy.categories()).allSatisfy(c -> assertThat(c.description()).isNotBlank());
        assertThat(taxonomy.findCategory("coding")).map(Category::description).get().asString().contains("code");
        assertThat(taxonomy.findCategory("cooking")).isEmpty();
    }

    @Test
    void should_name_file_and_field_when_an_id_repeats() throws IOException {
        // given
        Path file = write("""
                categories:
                  - id: math
                    description: Numbers.
                  - id: math
                    description: More numbers.
                """);

        // when / then
        assertThatThrownBy(() -> Taxonomy.load(file))
                .isInstanceOf(ClassifierConfigException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("categories[1].id")
                .hasMessageContaining("duplicate category id 'math'")
                .extracting(e -> ((ClassifierConfigException) e).file()).isEqualTo(file);
    }

    @Test
    void should_name_file_and_field_when_an_id_is_missing() throws IOException {
        // given
        Path file = write("""
                categories:
                  - id: math
                    description: Numbers.
                  - description: No id here.
                """);

        // when / then
        assertThatThrownBy(() -> Taxonomy.load(file))
                .isInstanceOf(ClassifierConfigException.class)
                .hasMessage(file + ": categories[1].id is missing");
    }

    @Test
    void should_name_the_category_when_its_description_is_missing() throws IOException {
        // given
        Path file = write("""
                categories:
                  - id: math
                """);

        // when / then
        assertThatThrownBy(() -> Taxonomy.load(file))
                .isInstanceOf(ClassifierConfigException.class)
                .hasMessage(file + ": categories[0].description is missing (category 'math')");
    }

    @Test
    void should_reject_the_file_when_it_is_empty() throws IOException {
        // given
        Path file = write("   \n");

        // when / then
        assertThatThrownBy(() -> Taxonomy.load(file))
                .isInstanceOf(ClassifierConfigException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("file is empty");
    }

    @Test
    void should_reject_the_file_when_the_categories_list_is_missing_or_empty() throws IOException {
        // given
        Path missing = write("taxonomy: []\n");
        Path empty = Files.writeString(dir.resolve("empty-list.yaml"), "categories: []\n");

        // when / then
        assertThatThrownBy(() -> Taxonomy.load(missing)).hasMessageContaining("missing top-level field 'categories'");
        assertThatThrownBy(() -> Taxonomy.load(empty)).hasMessageContaining("'categories' must be a non-empty list");
    }

    @Test
    void should_reject_an_id_when_it_is_not_lower_case() throws IOException {
        // given
        Path file = write("""
                categories:
                  - id: Math
                    description: Numbers.
                """);

        // when / then
        assertThatThrownBy(() -> Taxonomy.load(file))
                .hasMessageContaining("categories[0].id must match")
                .hasMessageContaining("'Math'");
    }

    @Test
    void should_report_the_line_when_the_yaml_is_malformed() throws IOException {
        // given
        Path file = write("""
                categories:
                  - id: math
                    description: [unclosed
                """);

        // when / then
        assertThatThrownBy(() -> Taxonomy.load(file))
                .isInstanceOf(ClassifierConfigException.class)
                .hasMessageContaining("not valid YAML")
                .satisfies(e -> assertThat(((ClassifierConfigException) e).line()).isPositive());
    }

    @Test
    void should_say_file_not_found_when_the_file_does_not_exist() {
        // given
        Path file = dir.resolve("nope.yaml");

        // when / then
        assertThatThrownBy(() -> Taxonomy.load(file)).hasMessage(file + ": file not found");
    }

    @Test
    void should_reject_duplicate_ids_when_built_in_code() {
        // given
        List<Category> categories = List.of(new Category("math", "a"), new Category("math", "b"));

        // when / then
        assertThatThrownBy(() -> Taxonomy.of(categories))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("duplicate category id 'math'");
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("categories.yaml"), yaml);
    }
}
