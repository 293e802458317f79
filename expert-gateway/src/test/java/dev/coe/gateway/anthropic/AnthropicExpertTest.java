package dev.coe.gateway.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coe.gateway.ContractFixtures;
import dev.coe.gateway.Expert;
import dev.coe.gateway.ExpertConfig;
import dev.coe.gateway.ExpertContractTest;
import dev.coe.gateway.ExpertFactory;
import dev.coe.gateway.ExpertHealth;
import dev.coe.gateway.ExpertRequest;
import dev.coe.gateway.Feature;
import dev.coe.gateway.NonRetriableExpertException;
import dev.coe.gateway.ProviderKind;
import dev.coe.gateway.stub.AnthropicStubServer;
import dev.coe.gateway.stub.StubExpertServer;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.coe.gateway.ContractFixtures.json;
import static dev.coe.gateway.ContractFixtures.question;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnthropicExpertTest extends ExpertContractTest {

    @Override
    protected StubExpertServer startStub() {
        return new AnthropicStubServer();
    }

    @Override
    protected ExpertConfig.Builder config(String baseUrl) {
        return ExpertConfig.builder("claude-stub").provider(ProviderKind.ANTHROPIC).baseUrl(baseUrl)
                .model("claude-stub-1").apiKeyEnv("STUB_ANTHROPIC_KEY");
    }

    @Override
    protected Map<String, String> environment() {
        return Map.of("STUB_ANTHROPIC_KEY", AnthropicStubServer.DEFAULT_API_KEY);
    }

    @Override
    protected Set<Feature> expectedFeatures() {
        return EnumSet.of(Feature.TEMPERATURE, Feature.TOP_P, Feature.MAX_TOKENS, Feature.STOP, Feature.USER,
                Feature.TOOLS, Feature.TOOL_CHOICE, Feature.PARALLEL_TOOL_CALLS, Feature.RESPONSE_FORMAT_JSON_SCHEMA);
    }

    @Override
    protected Map<Feature, String> scalarPointers() {
        return Map.of(Feature.TEMPERATURE, "/temperature", Feature.TOP_P, "/top_p", Feature.MAX_TOKENS, "/max_tokens",
                Feature.STOP, "/stop_sequences", Feature.USER, "/metadata/user_id");
    }

    @Override
    protected JsonNode toolProperties(JsonNode body) {
        assertThat(body.at("/tools/0/name").asText()).isEqualTo(ContractFixtures.TOOL_NAME);
        assertThat(body.at("/tools/0/input_schema/required")).isEqualTo(json("[\"city\"]"));
        return body.at("/tools/0/input_schema/properties");
    }

    @Override
    protected JsonNode responseSchema(JsonNode body) {
        assertThat(body.at("/output_config/format/type").asText()).isEqualTo("json_schema");
        return body.at("/output_config/format/schema");
    }

    @Override
    protected void assertRequiredToolChoice(JsonNode body) {
        assertThat(body.get("tool_choice")).isEqualTo(json("{\"type\":\"any\"}"));
    }

    @Override
    protected void assertForcedToolChoice(JsonNode body, String function) {
        assertThat(body.get("tool_choice")).isEqualTo(json("{\"type\":\"tool\",\"name\":\"" + function + "\"}"));
    }

    @Override
    protected void assertConversation(JsonNode body) {
        assertThat(body.get("system")).isEqualTo(json("[{\"type\":\"text\",\"text\":\"You are terse.\"}]"));
        assertThat(body.get("messages")).isEqualTo(json("""
                [{"role":"user","content":[{"type":"text","text":"What is the weather in Paris?"}]},
                 {"role":"assistant","content":[{"type":"tool_use","id":"call_1","name":"get_weather","input":{"city":"Paris"}}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"call_1","content":"18 degrees and sunny"}]},
                 {"role":"assistant","content":[{"type":"text","text":"It is 18 degrees and sunny."}]},
                 {"role":"user","content":[{"type":"text","text":"And tomorrow?"}]}]"""));
    }

    @Test
    void should_send_the_key_version_and_default_max_tokens() {
        // when
        expert.chat(ExpertRequest.builder(question("Hi")).build());

        // then
        assertThat(stub.lastRequest().header("x-api-key")).isEqualTo(AnthropicStubServer.DEFAULT_API_KEY);
        assertThat(stub.lastRequest().header("anthropic-version")).isEqualTo(AnthropicExpert.API_VERSION);
        assertThat(stub.lastRequest().json().get("max_tokens").asInt()).isEqualTo(AnthropicExpert.DEFAULT_MAX_TOKENS);
        assertThat(stub.lastRequest().json().get("model").asText()).isEqualTo("claude-stub-1");
    }

    @Test
    void should_send_parallel_tool_calls_as_disable_parallel_tool_use() {
        // when
        expert.chat(ExpertRequest.builder(question("Hi")).tools(List.of(ContractFixtures.weatherTool()))
                .parallelToolCalls(false).build());

        // then
        assertThat(stub.lastRequest().json().get("tool_choice"))
                .isEqualTo(json("{\"type\":\"auto\",\"disable_parallel_tool_use\":true}"));
    }

    @Test
    void should_map_a_wrong_key_to_a_non_retriable_401() {
        // given
        Expert wrongKey = ExpertFactory.of(Map.of("STUB_ANTHROPIC_KEY", "wrong-key")::get)
                .create(config(stub.baseUrl()).build());

        // when / then
        assertThatThrownBy(() -> wrongKey.chat(ExpertRequest.builder(question("Hi")).build()))
                .isInstanceOfSatisfying(NonRetriableExpertException.class, e -> {
                    assertThat(e.upstreamStatus()).isEqualTo(401);
                    assertThat(e.getMessage()).contains("authentication_error").doesNotContain("wrong-key");
                });
        assertThat(wrongKey.checkHealth()).isEqualTo(ExpertHealth.down("HTTP 401 from " + stub.baseUrl() + "/models"));
    }
}
