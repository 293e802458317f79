package dev.coe.gateway;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ExpertRequestTest {

    private static ExpertRequest withToolCallArguments(String arguments) {
        List<ChatMessage> messages = List.of(UserMessage.from("weather?"),
                AiMessage.from(List.of(ToolExecutionRequest.builder().id("c1").name("f").arguments(arguments).build())),
                ToolExecutionResultMessage.from("c1", "f", "sunny"), UserMessage.from("thanks"));
        return ExpertRequest.builder(messages).build();
    }

    @ParameterizedTest(name = "arguments {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "{\"city\":\"Paris\"} | false",
            "{}                  | false",
            "x                   | true",
            "[1,2]               | true",
            "\"Paris\"           | true",
            "{\"city\":          | true",
            "\"\"                | true",
    })
    void should_mark_tool_call_arguments_that_are_not_a_json_object_when_history_has_them(String arguments, boolean freeForm) {
        assertThat(withToolCallArguments(arguments).features().contains(Feature.FREE_FORM_TOOL_ARGUMENTS)).isEqualTo(freeForm);
    }
}
