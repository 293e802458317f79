package dev.coe.gateway.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coe.gateway.ContractFixtures;
import dev.coe.gateway.ExpertConfig;
import dev.coe.gateway.ExpertContractTest;
import dev.coe.gateway.ExpertRequest;
import dev.coe.gateway.Feature;
import dev.coe.gateway.NonRetriableExpertException;
import dev.coe.gateway.ProviderKind;
import dev.coe.gateway.stub.OpenAiStubServer;
import dev.coe.gateway.stub.RecordingHandler;
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

class OpenAiCompatibleExpertTest extends ExpertContractTest {

    private static final String KEY = "sk-test-secret-123";

    @Override
    protected StubExpertServer startStub() {
        return new OpenAiStubServer().requireApiKey(KEY);
    }

    @Override
    protected ExpertConfig.Builder config(String baseUrl) {
        return ExpertConfig.builder("gpt-stub").provider(ProviderKind.OPENAI_COMPATIBLE).baseUrl(baseUrl)
                .model("stub-model").apiKeyEnv("STUB_OPENAI_KEY");
    }

    @Override
    protected Map<String, String> environment() {
        return Map.of("STUB_OPENAI_KEY", KEY);
    }

    @Override
    protected Set<Feature> expectedFeatures() {
        return EnumSet.allOf(Feature.class);
    }

    @Override
    protected Map<Feature, String> scalarPointers() {
        return Map.of(Feature.TEMPERATURE, "/temperature", Feature.TOP_P, "/top_p", Feature.MAX_TOKENS, "/max_tokens",
                Feature.STOP, "/stop", Feature.SEED, "/seed", Feature.USER, "/user",
                Feature.FREQUENCY_PENALTY, "/frequency_penalty", Feature.PRESENCE_PENALTY, "/presence_penalty");
    }

    @Override
    protected JsonNode toolProperties(JsonNode body) {
        assertThat(body.at("/tools/0/type").asText()).isEqualTo("function");
        assertThat(body.at("/tools/0/function/parameters/required")).isEqualTo(json("[\"city\"]"));
        return body.at("/tools/0/function/parameters/properties");
    }

    @Override
    protected JsonNode responseSchema(JsonNode body) {
        assertThat(body.at("/response_format/type").asText()).isEqualTo("json_schema");
        assertThat(body.at("/response_format/json_schema/name").asText()).isEqualTo("answer");
        return body.at("/response_format/json_schema/schema");
    }

    @Override
    protected void assertRequiredToolChoice(JsonNode body) {
        assertThat(body.get("tool_choice")).isEqualTo(json("\"required\""));
    }

    @Override
    protected void assertForcedToolChoice(JsonNode body, String function) {
        assertThat(body.get("tool_choice"))
                .isEqualTo(json("{\"type\":\"function\",\"function\":{\"name\":\"" + function + "\"}}"));
    }

    @Override
    protected void assertConversation(JsonNode body) {
        assertThat(body.get("messages")).isEqualTo(json("""
                [{"role":"system","content":"You are terse."},
                 {"role":"user","content":"What is the weather in Paris?"},
                 {"role":"assistant","tool_calls":[{"id":"call_1","type":"function",
                   "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                 {"role":"tool","tool_call_id":"call_1","content":"18 degrees and sunny"},
                 {"role":"assistant","content":"It is 18 degrees and sunny."},
                 {"role":"user","content":"And tomorrow?"}]"""));
    }

    @Test
    void should_send_the_key_as_bearer_token_and_ask_for_usage_in_streams() {
        // given
        RecordingHandler handler = new RecordingHandler();

        // when
        expert.stream(ExpertRequest.builder(question("Hi")).build(), handler);
        handler.awaitResponse(WAIT);
        expert.chat(ExpertRequest.builder(question("Hi")).parallelToolCalls(false)
                .tools(List.of(ContractFixtures.weatherTool())).build());

        // then
        assertThat(stub.chatRequests()).hasSize(2)
                .allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer " + KEY));
        assertThat(stub.chatRequests().getFirst().json().at("/stream_options/include_usage").asBoolean()).isTrue();
        assertThat(stub.lastRequest().json().get("parallel_tool_calls").asBoolean()).isFalse();
        assertThat(stub.lastRequest().json().get("model").asText()).isEqualTo("stub-model");
    }

    @Test
    void should_refuse_a_seed_beyond_32_bits_without_calling_upstream() {
        // given
        ExpertRequest request = ExpertRequest.builder(question("Hi")).seed(1L << 40).build();

        // when / then
        assertThatThrownBy(() -> expert.chat(request))
                .isInstanceOfSatisfying(NonRetriableExpertException.class,
                        e -> assertThat(e.getMessage()).contains("seed must fit in 32 bits"));
        assertThat(stub.chatRequests()).isEmpty();
    }

    @Test
    void should_keep_the_key_out_of_messages_when_the_upstream_echoes_it() {
        // given
        stub.failWithStatus(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\"}}", Map.of());

        // when / then
        assertThatThrownBy(() -> expert.chat(ExpertRequest.builder(question("Hi")).build()))
                .isInstanceOfSatisfying(NonRetriableExpertException.class, e -> {
                    assertThat(e.upstreamStatus()).isEqualTo(401);
                    assertThat(e.getMessage()).doesNotContain(KEY).contains("***");
                    assertThat(e.getCause()).isNull();
                });
        assertThat(expert.toString()).doesNotContain(KEY);
    }
}
