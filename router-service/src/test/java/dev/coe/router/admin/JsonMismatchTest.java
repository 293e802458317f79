package dev.coe.router.admin;

import dev.coe.router.expert.ExpertsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class JsonMismatchTest {

    private static final JsonMapper LENIENT = JsonMapper.builder().build();
    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    record Rule(List<String> chain, String comment) {
    }

    record Category(String description, Double threshold, Boolean routable, Integer limit) {
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "string for an array     | {'chain':'local-moe'}          | 'chain' must be an array, but was a string",
            "object for an array     | {'chain':{}}                   | 'chain' must be an array, but was an object",
            "object in the array     | {'chain':[{}]}                 | 'chain[0]' must be a string, but was an object",
    })
    void should_name_the_field_and_both_shapes_when_a_value_has_the_wrong_shape(String why, String json, String expected) {
        // when
        JacksonException e = failure(LENIENT, json, Rule.class);

        // then
        assertThat(JsonMismatch.describe(e, "")).as(why).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "word for a number       | {'threshold':'high'}    | 'threshold' must be a number, but was 'high'",
            "word for a boolean      | {'routable':'no'}       | 'routable' must be true or false, but was 'no'",
            "word for an integer     | {'limit':'many'}        | 'limit' must be an integer, but was 'many'",
    })
    void should_say_what_the_field_takes_when_a_value_cannot_be_converted(String why, String json, String expected) {
        // when
        JacksonException e = failure(LENIENT, json, Category.class);

        // then
        assertThat(JsonMismatch.describe(e, "")).as(why).startsWith(expected).doesNotContain("java.");
    }

    @Test
    void should_describe_the_whole_body_when_it_has_the_wrong_shape() {
        // when
        JacksonException e = failure(LENIENT, "[]", Rule.class);

        // then
        assertThat(JsonMismatch.describe(e, "")).isEqualTo("the body must be an object");
    }

    @Test
    void should_name_the_unknown_field_its_owner_and_the_known_fields_without_java_types() {
        // when
        JacksonException e = failure(STRICT, "{'id':'e1','cost':{'inputPerMillion':1}}", ExpertsFile.Entry.class);

        // then
        assertThat(JsonMismatch.path(e)).isEqualTo("cost.inputPerMillion");
        assertThat(JsonMismatch.describe(e, "expert"))
                .isEqualTo("unknown field 'inputPerMillion' in 'expert.cost'; known fields: activeParamsB, "
                        + "inputUsdPerMillion, outputUsdPerMillion");
    }

    @Test
    void should_keep_the_parsers_line_and_column_when_the_body_is_not_json() {
        // when
        JacksonException e = failure(LENIENT, "{'chain': [", Rule.class);

        // then
        assertThat(JsonMismatch.describe(e, ""))
                .isEqualTo("Unexpected end-of-input: expected close marker for Array (line 1, column 12)");
    }

    private static JacksonException failure(JsonMapper mapper, String json, Class<?> type) {
        return catchThrowableOfType(JacksonException.class, () -> mapper.readValue(json.replace('\'', '"'), type));
    }
}
