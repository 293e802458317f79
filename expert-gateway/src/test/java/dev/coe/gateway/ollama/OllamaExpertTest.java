package dev.coe.gateway.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coe.gateway.ContractFixtures;
import dev.coe.gateway.ExpertConfig;
import dev.coe.gateway.ExpertContractTest;
import dev.coe.gateway.ExpertRequest;
import dev.coe.gateway.Feature;
import dev.coe.gateway.ProviderKind;
import dev.coe.gateway.stub.OllamaStubServer;
import dev.coe.gateway.stub.StubExpertServer;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ToolChoice;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.coe.gateway.ContractFixtures.json;
import static dev.coe.gateway.ContractFixtures.question;
import static org.assertj.core.api.Assertions.assertThat;

class OllamaExpertTest extends ExpertContractTest {

    @Override
    protected StubExpertServer startStub() {
        return new OllamaStubServer();
    }

    @Override
    protected ExpertConfig.Builder config(String baseUrl) {
        return ExpertConfig.builder("llama-stub").provider(ProviderKind.OLLAMA).baseUrl(baseUrl).model("llama3.2:1b");
    }

    @Override
    protected Map<String, String> environment() {
        return Map.of();
    }

    @Override
    protected Set<Feature> expectedFeatures() {
        return EnumSet.of(Feature.TEMPERATURE, Feature.TOP_P, Feature.MAX_TOKENS, Feature.STOP, Feature.SEED,
                Feature.TOOLS, Feature.RESPONSE_FORMAT_JSON_OBJECT, Feature.RESPONSE_FORMAT_JSON_SCHEMA);
    }

    @Override
    protected Map<Feature, String> scalarPointers() {
        return Map.of(Feature.TEMPERATURE, "/options/temperature", Feature.TOP_P, "/options/top_p",
                Feature.MAX_TOKENS, "/options/num_predict", Feature.STOP, "/options/stop", Feature.SEED, "/options/seed");
    }

    @Override
    protected boolean streamsPartialToolCalls() {
        return false;
    }

    @Override
    protected JsonNode toolProperties(JsonNode body) {
        assertThat(body.at("/tools/0/type").asText()).isEqualTo("function");
        assertThat(body.at("/tools/0/function/parameters/required")).isEqualTo(json("[\"city\"]"));
        return body.at("/tools/0/function/parameters/properties");
    }

    @Override
    protected JsonNode responseSchema(JsonNode body) {
        return body.get("format");
    }

    @Override
    protected void assertRequiredToolChoice(JsonNode body) {
        throw new UnsupportedOperationException("Ollama has no tool_choice");
    }

    @Override
    protected void assertForcedToolChoice(JsonNode body, String function) {
        throw new UnsupportedOperationException("Ollama has no tool_choice");
    }

    @Override
    protected void assertConversation(JsonNode body) {
        assertThat(body.get("messages")).isEqualTo(json("""
                [{"role":"system","content":"You are terse."},
                 {"role":"user","content":"What is the weather in Paris?"},
                 {"role":"assistant","tool_calls":[{"id":"call_1","function":{"name":"get_weather","arguments":{"city":"Paris"}}}]},
                 {"role":"tool","content":"18 degrees and sunny"},
                 {"role":"assistant","content":"It is 18 degrees and sunny.","tool_calls":[]},
                 {"role":"user","content":"And tomorrow?"}]"""));
    }

    @Test
    void should_send_json_mode_as_format_json() {
        // when
        expert.chat(ExpertRequest.builder(question("Hi")).responseFormat(ResponseFormat.JSON).build());

        // then
        assertThat(stub.lastRequest().json().get("format")).isEqualTo(json("\"json\""));
    }

    @Test
    void should_send_no_tools_when_the_tool_choice_is_none() {
        // when
        expert.chat(ExpertRequest.builder(question("Hi")).tools(List.of(ContractFixtures.weatherTool()))
                .toolChoice(ToolChoice.NONE).build());

        // then
        assertThat(stub.lastRequest().json().path("tools")).isEmpty();
        assertThat(stub.lastRequest().json().get("model").asText()).isEqualTo("llama3.2:1b");
    }
}
