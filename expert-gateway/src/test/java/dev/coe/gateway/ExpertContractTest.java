package dev.coe.gateway;

import dev.langchain4j.agent.tool.ToolSpecification;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coe.gateway.RetriableExpertException.Reason;
import dev.coe.gateway.stub.RecordedRequest;
import dev.coe.gateway.stub.RecordingHandler;
import dev.coe.gateway.stub.StubExpertServer;
import dev.coe.gateway.stub.StubReply;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import static dev.coe.gateway.ContractFixtures.TOOL_NAME;
import static dev.coe.gateway.ContractFixtures.json;
import static dev.coe.gateway.ContractFixtures.question;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The behaviour every provider adapter must show, run against that provider's wire-faithful stub server (the
 * pattern of langchain4j's {@code AbstractChatModelIT}). A subclass names its stub, its config, and where each
 * option sits in its wire format; everything else is shared.
 */
public abstract class ExpertContractTest {

    protected static final Duration WAIT = Duration.ofSeconds(10);

    protected StubExpertServer stub;
    protected Expert expert;

    protected abstract StubExpertServer startStub();

    /** A config for an expert of this provider talking to {@code baseUrl}, with its key variable if it has one. */
    protected abstract ExpertConfig.Builder config(String baseUrl);

    /** The environment holding the key the stub expects. */
    protected abstract Map<String, String> environment();

    protected abstract Set<Feature> expectedFeatures();

    /** JSON pointer of each supported simple option in the request body. */
    protected abstract Map<Feature, String> scalarPointers();

    /** The {@code properties} object of the first tool's parameter schema in the request body. */
    protected abstract JsonNode toolProperties(JsonNode body);

    /** The JSON schema of a json-schema response format in the request body. */
    protected abstract JsonNode responseSchema(JsonNode body);

    protected abstract void assertRequiredToolChoice(JsonNode body);

    protected abstract void assertForcedToolChoice(JsonNode body, String function);

    /** Checks the wire form of {@link ContractFixtures#conversationWithToolResult()}. */
    protected abstract void assertConversation(JsonNode body);

    /** Whether the protocol streams tool-call arguments in pieces (Ollama sends a whole call in one line). */
    protected boolean streamsPartialToolCalls() {
        return true;
    }

    @BeforeEach
    void startStubAndExpert() {
        stub = startStub();
        expert = create(UnaryOperator.identity());
    }

    @AfterEach
    void stopStub() {
        stub.close();
    }

    protected Expert create(UnaryOperator<ExpertConfig.Builder> adjust) {
        ExpertConfig config = adjust.apply(config(stub.baseUrl()).connectTimeout(Duration.ofSeconds(1))).build();
        return ExpertFactory.of(environment()::get).create(config);
    }

    protected static ExpertRequest ask(String text) {
        return ExpertRequest.builder(question(text)).build();
    }

    @Test
    void should_declare_the_features_its_provider_really_sends() {
        assertThat(expert.supportedFeatures()).isEqualTo(expectedFeatures());
    }

    @Test
    void should_answer_text_with_usage_and_finish_reason_when_not_streaming() {
        // given
        stub.replyText("Paris is the capital of France.").usage(12, 7);

        // when
        ChatResponse response = expert.chat(ask("What is the capital of France?"));

        // then
        assertThat(response.aiMessage().text()).isEqualTo("Paris is the capital of France.");
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(12);
        assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(7);
        assertThat(stub.chatRequests()).hasSize(1);
        assertThat(stub.lastRequest().streaming()).isFalse();
    }

    @Test
    void should_stream_text_in_pieces_then_complete_once_with_usage() {
        // given
        stub.replyText("Paris is the capital of France.").usage(12, 7);
        RecordingHandler handler = new RecordingHandler();

        // when
        expert.stream(ask("What is the capital of France?"), handler);
        ChatResponse response = handler.awaitResponse(WAIT);

        // then
        assertThat(handler.partials()).hasSizeGreaterThan(1);
        assertThat(handler.text()).isEqualTo("Paris is the capital of France.");
        assertThat(response.aiMessage().text()).isEqualTo("Paris is the capital of France.");
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(12);
        assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(7);
        assertThat(handler.completions()).isEqualTo(1);
        assertThat(handler.errors()).isZero();
        assertThat(stub.lastRequest().streaming()).isTrue();
    }

    @Test
    void should_report_length_when_the_answer_was_cut_by_max_tokens() {
        // given
        stub.reply(StubReply.text("Paris is").withFinishReason(FinishReason.LENGTH));

        // when
        ChatResponse response = expert.chat(ExpertRequest.builder(question("Capital?")).maxTokens(2).build());

        // then
        assertThat(response.finishReason()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void should_send_every_supported_simple_option_unchanged() {
        // given
        ExpertRequest.Builder builder = ExpertRequest.builder(question("Hi"));
        scalarPointers().keySet().forEach(feature -> ContractFixtures.with(builder, feature));

        // when
        expert.chat(builder.build());

        // then
        JsonNode body = stub.lastRequest().json();
        scalarPointers().forEach((feature, pointer) ->
                assertThat(body.at(pointer)).as(feature + " at " + pointer).isEqualTo(ContractFixtures.SCALAR_VALUES.get(feature)));
        assertThat(scalarPointers().keySet()).containsExactlyInAnyOrderElementsOf(
                EnumSet.copyOf(ContractFixtures.SCALAR_VALUES.keySet()).stream().filter(expectedFeatures()::contains).toList());
    }

    @Test
    void should_send_raw_tool_schemas_unchanged() {
        // given
        ExpertRequest request = ExpertRequest.builder(question("Weather in Paris?"))
                .tools(List.of(ContractFixtures.weatherTool())).build();

        // when
        expert.chat(request);

        // then
        assertThat(toolProperties(stub.lastRequest().json())).isEqualTo(ContractFixtures.rawProperties());
    }

    @Test
    void should_send_root_keywords_of_a_tool_schema_or_refuse_without_calling_upstream() {
        // given: keywords at the schema root that langchain4j's typed tool schema may not carry
        ToolSpecification tool = ContractFixtures.weatherTool().toBuilder()
                .parameters(ContractFixtures.weatherTool().parameters().toBuilder()
                        .additionalProperties(false).description("Where and how").build())
                .build();
        ExpertRequest request = ExpertRequest.builder(question("Weather in Paris?")).tools(List.of(tool)).build();

        // when
        Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> expert.chat(request));

        // then: either it arrives whole, or the call is refused before anything is sent (never dropped silently)
        if (refused == null) {
            JsonNode body = stub.lastRequest().json();
            JsonNode root = body.at("/tools/0/function/parameters").isMissingNode()
                    ? body.at("/tools/0/input_schema") : body.at("/tools/0/function/parameters");
            assertThat(root.path("additionalProperties").isBoolean()).as("additionalProperties in %s", root).isTrue();
            assertThat(root.path("additionalProperties").booleanValue()).isFalse();
            assertThat(root.path("description").asText()).isEqualTo("Where and how");
            assertThat(root.path("properties")).isEqualTo(ContractFixtures.rawProperties());
        } else {
            assertThat(refused).isInstanceOfSatisfying(NonRetriableExpertException.class, e -> {
                assertThat(e.upstreamStatus()).isZero();
                assertThat(e.getMessage()).contains("additionalProperties");
            });
            assertThat(stub.chatRequests()).isEmpty();
        }
    }

    @Test
    void should_send_a_raw_json_schema_response_format_unchanged() {
        assumeTrue(expectedFeatures().contains(Feature.RESPONSE_FORMAT_JSON_SCHEMA));
        // given
        stub.replyText("{\"answer\":\"Paris\",\"confidence\":0.9}");

        // when
        ChatResponse response = expert.chat(ExpertRequest.builder(question("Capital?"))
                .responseFormat(ContractFixtures.answerSchema()).build());

        // then
        assertThat(responseSchema(stub.lastRequest().json())).isEqualTo(json(ContractFixtures.RAW_RESPONSE_SCHEMA));
        assertThat(json(response.aiMessage().text()).path("answer").asText()).isEqualTo("Paris");
    }

    @Test
    void should_send_a_required_tool_choice() {
        assumeTrue(expectedFeatures().contains(Feature.TOOL_CHOICE));
        // when
        expert.chat(ExpertRequest.builder(question("Weather?")).tools(List.of(ContractFixtures.weatherTool()))
                .toolChoice(ToolChoice.REQUIRED).build());

        // then
        assertRequiredToolChoice(stub.lastRequest().json());
    }

    @Test
    void should_send_a_forced_function() {
        assumeTrue(expectedFeatures().contains(Feature.TOOL_CHOICE));
        // when
        expert.chat(ExpertRequest.builder(question("Weather?")).tools(List.of(ContractFixtures.weatherTool()))
                .toolChoiceFunction(TOOL_NAME).build());

        // then
        assertForcedToolChoice(stub.lastRequest().json(), TOOL_NAME);
    }

    @Test
    void should_refuse_unsupported_options_without_calling_upstream() {
        Set<Feature> unsupported = EnumSet.complementOf(EnumSet.copyOf(expectedFeatures()));
        assumeTrue(!unsupported.isEmpty(), "this provider supports every option");
        for (Feature feature : unsupported) {
            // given
            ExpertRequest request = ContractFixtures.with(ExpertRequest.builder(question("Hi")), feature).build();

            // when / then
            assertThatThrownBy(() -> expert.chat(request))
                    .as(feature.name())
                    .isInstanceOfSatisfying(NonRetriableExpertException.class, e -> {
                        assertThat(e.expertId()).isEqualTo(expert.id());
                        assertThat(e.upstreamStatus()).isZero();
                        assertThat(e.getMessage()).contains(feature.name().toLowerCase());
                    });
        }
        assertThat(stub.chatRequests()).isEmpty();
    }

    @Test
    void should_return_a_tool_call_when_not_streaming() {
        // given
        stub.replyToolCall(TOOL_NAME, "{\"city\":\"Paris\",\"days\":2}");

        // when
        ChatResponse response = expert.chat(ExpertRequest.builder(question("Weather in Paris?"))
                .tools(List.of(ContractFixtures.weatherTool())).build());

        // then
        assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
        ToolExecutionRequest call = response.aiMessage().toolExecutionRequests().getFirst();
        assertThat(call.name()).isEqualTo(TOOL_NAME);
        assertThat(json(call.arguments())).isEqualTo(json("{\"city\":\"Paris\",\"days\":2}"));
    }

    @Test
    void should_stream_a_tool_call() {
        // given
        stub.replyToolCall(TOOL_NAME, "{\"city\":\"Paris\",\"days\":2}");
        RecordingHandler handler = new RecordingHandler();

        // when
        expert.stream(ExpertRequest.builder(question("Weather in Paris?"))
                .tools(List.of(ContractFixtures.weatherTool())).build(), handler);
        ChatResponse response = handler.awaitResponse(WAIT);

        // then
        assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
        assertThat(handler.completeToolCalls()).hasSize(1);
        if (streamsPartialToolCalls()) {
            assertThat(handler.partialToolCalls()).hasSizeGreaterThan(1)
                    .allSatisfy(partial -> assertThat(partial.name()).isEqualTo(TOOL_NAME));
        }
        ToolExecutionRequest call = handler.completeToolCalls().getFirst().toolExecutionRequest();
        assertThat(call.name()).isEqualTo(TOOL_NAME);
        assertThat(json(call.arguments())).isEqualTo(json("{\"city\":\"Paris\",\"days\":2}"));
        assertThat(response.aiMessage().toolExecutionRequests()).hasSize(1);
        assertThat(handler.completions()).isEqualTo(1);
    }

    @Test
    void should_map_system_assistant_and_tool_messages_of_a_conversation() {
        // when
        expert.chat(ExpertRequest.builder(ContractFixtures.conversationWithToolResult())
                .tools(List.of(ContractFixtures.weatherTool())).build());

        // then
        assertConversation(stub.lastRequest().json());
    }

    @Test
    void should_map_429_to_rate_limited_with_the_expert_id() {
        // given
        stub.failWithStatus(429, null, Map.of("Retry-After", "2"));

        // when / then
        assertThatThrownBy(() -> expert.chat(ask("Hi")))
                .isInstanceOfSatisfying(RetriableExpertException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.RATE_LIMITED);
                    assertThat(e.expertId()).isEqualTo(expert.id());
                    assertThat(e.getMessage()).startsWith(expert.id() + ": ").contains("429");
                });
    }

    @Test
    void should_map_500_to_server_error() {
        // given
        stub.failWithStatus(500);

        // when / then
        assertThatThrownBy(() -> expert.chat(ask("Hi")))
                .isInstanceOfSatisfying(RetriableExpertException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.SERVER_ERROR);
                    assertThat(e.expertId()).isEqualTo(expert.id());
                });
    }

    @Test
    void should_map_400_to_non_retriable_with_the_status() {
        // given
        stub.failWithStatus(400);

        // when / then
        assertThatThrownBy(() -> expert.chat(ask("Hi")))
                .isInstanceOfSatisfying(NonRetriableExpertException.class, e -> {
                    assertThat(e.upstreamStatus()).isEqualTo(400);
                    assertThat(e.expertId()).isEqualTo(expert.id());
                });
    }

    @Test
    void should_report_a_server_error_of_a_stream_once_through_on_error() {
        // given
        stub.failWithStatus(503);
        RecordingHandler handler = new RecordingHandler();

        // when
        expert.stream(ask("Hi"), handler);
        Throwable error = handler.awaitError(WAIT);

        // then
        assertThat(error).isInstanceOfSatisfying(RetriableExpertException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.SERVER_ERROR));
        assertThat(handler.errors()).isEqualTo(1);
        assertThat(handler.completions()).isZero();
    }

    @Test
    void should_be_unreachable_when_the_connection_is_refused() {
        // given
        stub.close();
        RecordingHandler handler = new RecordingHandler();

        // when / then
        assertThatThrownBy(() -> expert.chat(ask("Hi")))
                .isInstanceOfSatisfying(RetriableExpertException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE));
        expert.stream(ask("Hi"), handler);
        assertThat(handler.awaitError(WAIT)).isInstanceOfSatisfying(RetriableExpertException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE));
        assertThat(expert.checkHealth()).isEqualTo(ExpertHealth.down("connection refused at " + expert.config().baseUrl()));
    }

    @Test
    void should_report_a_dropped_stream_once_as_connection_dropped() throws InterruptedException {
        // given
        stub.replyText("one two three four five six seven").dropConnectionAfterChunks(5);
        RecordingHandler handler = new RecordingHandler();

        // when
        expert.stream(ask("Count"), handler);
        Throwable error = handler.awaitError(WAIT);
        Thread.sleep(100); // room for a late second callback, which must not come

        // then
        assertThat(error).isInstanceOfSatisfying(RetriableExpertException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.CONNECTION_DROPPED));
        // What arrived before the cut is forwarded; how much that is depends on timing (see StubExpertServer.cut).
        assertThat("one two three four five six seven").startsWith(handler.text());
        assertThat(handler.errors()).isEqualTo(1);
        assertThat(handler.completions()).isZero();
    }

    @Test
    void should_report_a_stream_that_ends_without_its_final_event_as_connection_dropped() {
        // given
        stub.reply(StubReply.text("one two three four five six seven").withStreamEndingAfterChunks(5));
        RecordingHandler handler = new RecordingHandler();

        // when
        expert.stream(ask("Count"), handler);
        Throwable error = handler.awaitError(WAIT);

        // then
        assertThat(error).isInstanceOfSatisfying(RetriableExpertException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.CONNECTION_DROPPED));
        assertThat(handler.errors()).isEqualTo(1);
        assertThat(handler.completions()).isZero();
    }

    @Test
    void should_report_a_body_cut_short_as_connection_dropped() {
        // given
        stub.dropConnectionAfterChunks(0);

        // when / then
        assertThatThrownBy(() -> expert.chat(ask("Hi")))
                .isInstanceOfSatisfying(RetriableExpertException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.CONNECTION_DROPPED));
    }

    @Test
    void should_time_out_when_the_server_does_not_answer() {
        // given
        Expert impatient = create(config -> config.requestTimeout(Duration.ofMillis(300)));
        stub.hang().hang();
        RecordingHandler handler = new RecordingHandler();

        // when / then
        assertThatThrownBy(() -> impatient.chat(ask("Hi")))
                .isInstanceOfSatisfying(RetriableExpertException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.TIMEOUT));
        impatient.stream(ask("Hi"), handler);
        assertThat(handler.awaitError(WAIT)).isInstanceOfSatisfying(RetriableExpertException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.TIMEOUT));
    }

    @Test
    void should_be_up_when_the_server_answers_its_health_endpoint() {
        // when
        ExpertHealth health = expert.checkHealth();

        // then
        assertThat(health.status()).isEqualTo(ExpertHealth.Status.UP);
        RecordedRequest probe = stub.requests().getLast();
        assertThat(probe.method()).isEqualTo("GET");
        assertThat(stub.chatRequests()).isEmpty();
    }
}
