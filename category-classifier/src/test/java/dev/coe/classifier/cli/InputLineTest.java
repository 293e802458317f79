package dev.coe.classifier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coe.classifier.Turn;
import dev.coe.classifier.training.BadLineException;
import dev.coe.classifier.training.JsonLines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InputLineTest {

    private static JsonNode json(String line) {
        return JsonLines.parse(line, "test.jsonl", 1);
    }

    @Test
    void should_join_the_text_parts_and_map_the_roles_when_given_openai_messages() {
        // given: a system message, a user message in content parts with an image, and an assistant turn that only called a tool
        JsonNode line = json("""
                {"messages": [
                  {"role": "developer", "content": "Be brief."},
                  {"role": "user", "content": [{"type": "text", "text": "What is in this picture?"},
                                               {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}},
                                               {"type": "text", "text": "Answer in French."}]},
                  {"role": "assistant", "content": null},
                  {"role": "tool", "content": "42"}]}""");

        // when
        List<Turn> turns = InputLine.conversation(line, false);

        // then
        assertThat(turns).containsExactly(
                new Turn(Turn.Role.SYSTEM, "Be brief."),
                new Turn(Turn.Role.USER, "What is in this picture?\nAnswer in French."),
                new Turn(Turn.Role.ASSISTANT, ""),
                new Turn(Turn.Role.TOOL, "42"));
    }

    @Test
    void should_keep_only_the_first_turn_when_evaluating_a_fastchat_question() {
        // given
        JsonNode line = json("{\"question_id\": 7, \"turns\": [\"Solve 2x + 3 = 7.\", \"Now explain it to a child.\"]}");

        // when / then
        assertThat(InputLine.conversation(line, true)).containsExactly(Turn.user("Solve 2x + 3 = 7."));
        assertThat(InputLine.conversation(line, false)).hasSize(2);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            [1, 2]                                                   | expected a JSON object with 'prompt', 'text', 'turns' or 'messages'
            {"question_id": 3}                                       | the line needs 'prompt', 'text', 'turns' or 'messages'
            {"prompt": 5}                                            | 'prompt' must be a string, but was 5
            {"text": ["a", "b"]}                                     | 'text' must be a string, but was ["a","b"]
            {"prompt": "  "}                                         | nothing to classify: every turn is empty or blank
            {"turns": []}                                            | 'turns' must be a non-empty array of strings, but was []
            {"turns": ["Hi", 3]}                                     | 'turns[1]' must be a string, but was 3
            {"messages": "hello"}                                    | 'messages' must be a non-empty array of {role, content}, but was "hello"
            {"messages": [{"content": "hi"}]}                        | 'messages[0].role' must be a string, but was missing
            {"messages": [{"role": "robot", "content": "hi"}]}       | 'messages[0].role' must be one of system, developer, user, assistant, tool, but was "robot"
            {"messages": [{"role": "user", "content": 12}]}          | 'messages[0].content' must be a string or an array of content parts, but was 12
            {"messages": [{"role": "user", "content": [{"text": "hi"}]}]} | 'messages[0].content[0]' must be a content part with a 'type', but was {"text":"hi"}
            {"messages": [{"role": "user", "content": [{"type": "text"}]}]} | 'messages[0].content[0].text' must be a string, but was missing
            {"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "https://example.com/a.png"}}]}]} | nothing to classify
            """)
    void should_say_what_is_wrong_when_a_line_does_not_say_what_to_classify(String line, String problem) {
        assertThatThrownBy(() -> InputLine.conversation(json(line), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(problem);
    }

    @Test
    void should_cut_a_long_wrong_value_short_when_naming_it() {
        // given: a prompt sent as an array of 200 numbers
        String numbers = "[" + "1,".repeat(199) + "1]";

        // when / then
        assertThatThrownBy(() -> InputLine.conversation(json("{\"prompt\": " + numbers + "}"), false))
                .hasMessageEndingWith("...")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(120));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            not json                              | not valid JSON: Unrecognized token 'not'
            {"prompt": "a"} {"prompt": "b"}       | not valid JSON: Trailing token
            {"prompt": "unclosed"                 | not valid JSON: Unexpected end-of-input: expected close marker for Object (opened at column 1)
            """)
    void should_name_the_source_and_line_when_a_line_is_not_json(String line, String problem) {
        assertThatThrownBy(() -> JsonLines.parse(line, "prompts.jsonl", 12))
                .isInstanceOf(BadLineException.class)
                .hasMessageStartingWith("prompts.jsonl:12: " + problem)
                .satisfies(e -> assertThat(((BadLineException) e).line()).isEqualTo(12))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("REDACTED"));
    }
}
