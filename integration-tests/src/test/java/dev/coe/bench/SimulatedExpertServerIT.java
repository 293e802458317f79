package dev.coe.bench;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.coe.gateway.SimulationConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The benchmark's simulated expert speaks OpenAI's wire format faithfully enough for the official SDK, so that
 * the router calls it exactly as it would call a real engine.
 */
class SimulatedExpertServerIT {

    private static final SimulationConfig INSTANT = new SimulationConfig(Duration.ZERO, 0, 0.0, 6);

    private static SimulatedExpertServer server;
    private static OpenAIClient client;

    @BeforeAll
    static void start() throws Exception {
        server = SimulatedExpertServer.start(0, SimulatedExpertServer.DEFAULT_MODEL, INSTANT);
        client = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl().toString()).apiKey("unused").maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    private static ChatCompletionCreateParams.Builder ask(String prompt) {
        return ChatCompletionCreateParams.builder().model("sim-model").addUserMessage(prompt);
    }

    @Test
    void should_answer_one_labelled_completion_with_usage_when_not_streaming() {
        // when
        ChatCompletion completion = client.chat().completions().create(ask("What is a transistor?").build());

        // then
        assertThat(completion.model()).isEqualTo("sim-model");
        assertThat(completion.choices()).singleElement().satisfies(choice -> {
            assertThat(choice.message().content()).hasValueSatisfying(text -> assertThat(text).startsWith("[simulated sim]"));
            assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        });
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(6);
        assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(4);
    }

    @Test
    void should_stream_tokens_then_finish_then_usage_when_streaming_with_include_usage() {
        // given
        ChatCompletionCreateParams params = ask("What is a transistor?")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();

        // when
        List<ChatCompletionChunk> chunks;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            chunks = stream.stream().toList();
        }

        // then: a role chunk, one chunk per token, a finish chunk, and the usage chunk last
        assertThat(chunks).hasSize(1 + 6 + 1 + 1);
        assertThat(chunks.getFirst().choices().getFirst().delta().role()).isPresent();
        String text = chunks.stream().flatMap(c -> c.choices().stream())
                .map(ch -> ch.delta().content().orElse("")).reduce("", String::concat);
        assertThat(text).startsWith("[simulated sim] answer to:");
        assertThat(chunks.get(chunks.size() - 2).choices().getFirst().finishReason())
                .contains(ChatCompletionChunk.Choice.FinishReason.STOP);
        assertThat(chunks.getLast().choices()).isEmpty();
        assertThat(chunks.getLast().usage().orElseThrow().completionTokens()).isEqualTo(6);
    }

    @Test
    void should_end_the_stream_with_done_when_streaming() throws Exception {
        // given
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"sim-model\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"))
                .build();

        // when
        HttpResponse<String> response;
        try (HttpClient http = HttpClient.newHttpClient()) {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        }

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        assertThat(response.body()).endsWith("data: [DONE]\n\n").doesNotContain("\"usage\"");
    }

    @Test
    void should_list_its_model_when_asked_for_models() {
        // when / then
        assertThat(client.models().list().data()).singleElement()
                .satisfies(model -> assertThat(model.id()).isEqualTo("sim-model"));
    }

    @Test
    void should_refuse_with_400_when_messages_have_no_text() {
        // when / then
        assertThatThrownBy(() -> client.chat().completions().create(ask("").build()))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("messages");
    }

    @Test
    void should_fail_with_503_when_the_simulation_fails_every_call() throws Exception {
        // given
        try (SimulatedExpertServer failing = SimulatedExpertServer.start(0, "failing", new SimulationConfig(Duration.ZERO, 0, 1.0, 3))) {
            OpenAIClient failingClient = OpenAIOkHttpClient.builder().baseUrl(failing.baseUrl().toString())
                    .apiKey("unused").maxRetries(0).build();
            try {
                // when / then
                assertThatThrownBy(() -> failingClient.chat().completions().create(ask("Hi").build()))
                        .isInstanceOf(InternalServerException.class)
                        .satisfies(e -> assertThat(((InternalServerException) e).statusCode()).isEqualTo(503));
            } finally {
                failingClient.close();
            }
        }
    }

    @Test
    void should_cut_every_connection_before_or_during_the_answer_when_the_drop_rate_is_one() throws Exception {
        // given
        ExpertTraffic traffic = ExpertTraffic.untimed();
        try (SimulatedExpertServer dropping = SimulatedExpertServer.start(0, "dropping", INSTANT,
                new FaultInjection(1.0, 0, Duration.ZERO), traffic);
             HttpClient http = LoadGenerator.newClient()) {
            Target direct = Target.direct(dropping.baseUrl(), "dropping");

            // when
            RunResult streams = new LoadGenerator(BenchClient.jdk(http), 0).run(direct, true, 1, 6, Duration.ofSeconds(30));
            RunResult answers = new LoadGenerator(BenchClient.jdk(http), 0).run(direct, false, 1, 6, Duration.ofSeconds(30));

            // then: no answer is complete, and the server says it cut every one of them
            assertThat(streams.succeeded()).isZero();
            assertThat(streams.errors).isEqualTo(6);
            assertThat(answers.succeeded()).isZero();
            assertThat(answers.errors).isEqualTo(6);
            assertThat(traffic.count(ExpertTraffic.Outcome.DROPPED_BEFORE_ANSWER) + traffic.count(ExpertTraffic.Outcome.DROPPED_MID_ANSWER))
                    .isEqualTo(12);
            assertThat(traffic.calls()).isEqualTo(12);
        }
    }

    @Test
    void should_answer_late_but_in_full_when_the_slow_rate_is_one() throws Exception {
        // given
        ExpertTraffic traffic = ExpertTraffic.untimed();
        try (SimulatedExpertServer slow = SimulatedExpertServer.start(0, "slow", INSTANT,
                new FaultInjection(0, 1.0, Duration.ofMillis(200)), traffic);
             HttpClient http = LoadGenerator.newClient()) {

            // when
            RunResult result = new LoadGenerator(BenchClient.jdk(http), 0).run(Target.direct(slow.baseUrl(), "slow"), true, 1, 1, Duration.ofSeconds(30));

            // then
            assertThat(result.succeeded()).isEqualTo(1);
            assertThat(RunResult.millis(result.firstToken, 50)).isGreaterThanOrEqualTo(200);
            assertThat(traffic.count(ExpertTraffic.Outcome.SLOW)).isEqualTo(1);
        }
    }
}
