package dev.coe.gateway.simulated;

import dev.coe.gateway.ContractFixtures;
import dev.coe.gateway.ExpertConfig;
import dev.coe.gateway.ExpertHealth;
import dev.coe.gateway.ExpertRequest;
import dev.coe.gateway.Feature;
import dev.coe.gateway.ProviderKind;
import dev.coe.gateway.RetriableExpertException;
import dev.coe.gateway.SimulationConfig;
import dev.coe.gateway.stub.RecordingHandler;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.FinishReason;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static dev.coe.gateway.ContractFixtures.json;
import static dev.coe.gateway.ContractFixtures.question;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SimulatedExpertTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final SimulationConfig INSTANT = new SimulationConfig(Duration.ZERO, 0, 0.0, 10);

    private static SimulatedExpert expert(SimulationConfig simulation) {
        return new SimulatedExpert(ExpertConfig.builder("sim-1").provider(ProviderKind.SIMULATED).model("tiny")
                .simulation(simulation).build());
    }

    private static ExpertRequest ask(String text) {
        return ExpertRequest.builder(question(text)).build();
    }

    @Test
    void should_label_its_answer_and_model_as_simulated() {
        // when
        ChatResponse response = expert(INSTANT).chat(ask("What is the capital of France?"));

        // then
        assertThat(response.aiMessage().text()).startsWith("[simulated sim-1] answer to: What is the capital of France");
        assertThat(response.modelName()).isEqualTo("tiny (simulated)");
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(6);
        assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(10);
        assertThat(response.tokenUsage().totalTokenCount()).isEqualTo(16);
        assertThat(expert(INSTANT).simulated()).isTrue();
    }

    @Test
    void should_give_the_same_answer_to_the_same_question() {
        // when
        String first = expert(INSTANT).chat(ask("Explain recursion")).aiMessage().text();
        String second = expert(INSTANT).chat(ask("Explain recursion")).aiMessage().text();

        // then
        assertThat(first).isEqualTo(second);
        assertThat(first.split(" ")).hasSize(11); // the two-word label counts as one token
    }

    @Test
    void should_count_prompt_tokens_over_all_messages() {
        // when
        ChatResponse response = expert(INSTANT).chat(ExpertRequest.builder(List.of(
                SystemMessage.from("Be brief."), UserMessage.from("Name three colours"))).build());

        // then
        assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(5);
    }

    @Test
    void should_stop_at_max_tokens_with_finish_reason_length() {
        // when
        ChatResponse response = expert(INSTANT).chat(ExpertRequest.builder(question("Tell me a story")).maxTokens(3).build());

        // then
        assertThat(response.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(3);
        assertThat(response.aiMessage().text()).isEqualTo("[simulated sim-1] answer to:");
    }

    @Test
    void should_cut_the_answer_before_a_stop_sequence_but_never_the_label() {
        // when
        ChatResponse response = expert(INSTANT).chat(ExpertRequest.builder(question("alpha beta gamma"))
                .stop(List.of("beta", "simulated")).build());

        // then
        assertThat(response.aiMessage().text()).isEqualTo("[simulated sim-1] answer to: alpha ");
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void should_fail_every_call_when_the_error_rate_is_one() {
        // given
        SimulatedExpert failing = expert(new SimulationConfig(Duration.ZERO, 0, 1.0, 10));
        RecordingHandler handler = new RecordingHandler();

        // when / then
        assertThatThrownBy(() -> failing.chat(ask("Hi")))
                .isInstanceOfSatisfying(RetriableExpertException.class, e -> {
                    assertThat(e.reason()).isEqualTo(RetriableExpertException.Reason.SERVER_ERROR);
                    assertThat(e.expertId().value()).isEqualTo("sim-1");
                });
        failing.stream(ask("Hi"), handler);
        assertThat(handler.awaitError(WAIT)).isInstanceOf(RetriableExpertException.class);
        assertThat(handler.partials()).isEmpty();
    }

    @Test
    void should_fail_at_the_configured_rate_with_a_seeded_random() {
        // given
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        SimulatedExpert flaky = new SimulatedExpert(ExpertConfig.builder("sim-1").provider(ProviderKind.SIMULATED)
                .simulation(new SimulationConfig(Duration.ZERO, 0, 0.3, 5)).build(), new Random(7), scheduler);
        int failures = 0;

        // when
        for (int i = 0; i < 200; i++) {
            try {
                flaky.chat(ask("Hi"));
            } catch (RetriableExpertException e) {
                failures++;
            }
        }
        scheduler.shutdown();

        // then
        assertThat(failures).isBetween(40, 80);
    }

    @Test
    void should_stream_one_token_per_partial_at_the_configured_rate() {
        // given
        SimulatedExpert streaming = expert(new SimulationConfig(Duration.ofMillis(5), 2000, 0.0, 12));
        RecordingHandler handler = new RecordingHandler();

        // when
        streaming.stream(ask("Describe the sea"), handler);
        ChatResponse response = handler.awaitResponse(WAIT);

        // then
        assertThat(handler.partials()).hasSize(12);
        assertThat(handler.partials().getFirst()).isEqualTo("[simulated sim-1]");
        assertThat(handler.text()).isEqualTo(response.aiMessage().text())
                .isEqualTo(expert(new SimulationConfig(Duration.ZERO, 0, 0.0, 12))
                        .chat(ask("Describe the sea")).aiMessage().text());
        assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(12);
        assertThat(handler.completions()).isEqualTo(1);
        assertThat(handler.errors()).isZero();
    }

    @Test
    void should_catch_up_on_its_schedule_when_a_token_was_sent_late() {
        // given: 100 tokens/s (token i due 10·i ms after the first), and a receiver that holds up the first for 300 ms
        SimulatedExpert streaming = expert(new SimulationConfig(Duration.ZERO, 100, 0.0, 11));
        long[] firstReturned = new long[1];
        RecordingHandler handler = new RecordingHandler();
        StreamingChatResponseHandler slowAtFirst = new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partialResponse) {
                handler.onPartialResponse(partialResponse);
                if (handler.partials().size() == 1) {
                    try {
                        Thread.sleep(300);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    firstReturned[0] = System.nanoTime();
                }
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                handler.onCompleteResponse(response);
            }

            @Override
            public void onError(Throwable error) {
                handler.onError(error);
            }
        };

        // when
        streaming.stream(ask("Describe the sea"), slowAtFirst);
        handler.awaitResponse(WAIT);
        long afterFirst = Duration.ofNanos(System.nanoTime() - firstReturned[0]).toMillis();

        // then: the other ten were all due by then and follow at once, instead of 10 ms apart (100 ms)
        assertThat(handler.partials()).hasSize(11);
        assertThat(afterFirst).as("ms from the late first token to the end").isLessThan(60);
    }

    @Test
    void should_call_a_tool_the_user_asks_for() {
        // given
        ExpertRequest request = ExpertRequest.builder(question("Please call get_weather for Paris"))
                .tools(List.of(ContractFixtures.weatherTool())).build();
        RecordingHandler handler = new RecordingHandler();

        // when
        ChatResponse response = expert(INSTANT).chat(request);
        expert(INSTANT).stream(request, handler);
        ChatResponse streamed = handler.awaitResponse(WAIT);

        // then
        assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
        assertThat(response.aiMessage().toolExecutionRequests().getFirst().name()).isEqualTo("get_weather");
        assertThat(handler.completeToolCalls()).hasSize(1);
        assertThat(streamed.aiMessage().toolExecutionRequests()).hasSize(1);
    }

    @Test
    void should_answer_a_json_object_when_asked_for_json() {
        // when
        ChatResponse response = expert(INSTANT).chat(ExpertRequest.builder(question("Say \"hi\" {now}"))
                .responseFormat(ResponseFormat.JSON).build());

        // then
        assertThat(json(response.aiMessage().text()).get("simulated").asText()).startsWith("[simulated sim-1] answer to: Say hi now");
    }

    @Test
    void should_accept_every_feature_and_be_up() {
        // given
        SimulatedExpert simulated = expert(INSTANT);

        // then
        assertThat(simulated.supportedFeatures()).containsExactlyInAnyOrder(Feature.values());
        assertThat(simulated.checkHealth()).isEqualTo(ExpertHealth.up("simulated"));
    }

    @Test
    void should_scale_each_calls_latency_and_generation_time_by_its_own_factor_when_spread() throws Exception {
        // given: 100 ms to the first token, 10 tokens at 100 tokens/s (90 ms after the first), spread 0.5;
        // a scheduler that records what it was asked to wait and runs at once
        RecordingScheduler scheduler = new RecordingScheduler();
        SimulatedExpert spread = new SimulatedExpert(ExpertConfig.builder("sim-1").provider(ProviderKind.SIMULATED).model("tiny")
                .simulation(new SimulationConfig(Duration.ofMillis(100), 100, 0.0, 10, 0.5)).build(), null, scheduler);
        LatencySpread factors = new LatencySpread(0.5);

        try {
            // when: two one-piece answers, then a stream
            spread.chat(ask("Describe the sea"));
            spread.chat(ask("Describe the sea"));
            RecordingHandler handler = new RecordingHandler();
            spread.stream(ask("Describe the sea"), handler);
            handler.awaitResponse(WAIT);

            // then: a one-piece answer waits (100 + 100) ms times its factor (ten tokens at 100/s)
            assertThat(scheduler.delaysMillis().get(0)).isCloseTo(200 * factors.factor(0), within(0.001));
            assertThat(scheduler.delaysMillis().get(1)).isCloseTo(200 * factors.factor(1), within(0.001));
            assertThat(factors.factor(0)).isNotCloseTo(factors.factor(1), within(0.2));
            // the stream's first token comes after 100 ms times the third factor
            assertThat(scheduler.delaysMillis().get(2)).isCloseTo(100 * factors.factor(2), within(0.001));
            assertThat(handler.partials()).hasSize(10);
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void should_take_the_configured_time_on_every_call_without_a_spread() throws Exception {
        RecordingScheduler scheduler = new RecordingScheduler();
        SimulatedExpert steady = new SimulatedExpert(ExpertConfig.builder("sim-1").provider(ProviderKind.SIMULATED).model("tiny")
                .simulation(new SimulationConfig(Duration.ofMillis(100), 100, 0.0, 10)).build(), null, scheduler);
        try {
            for (int i = 0; i < 3; i++) {
                steady.chat(ask("Describe the sea"));
            }

            assertThat(scheduler.delaysMillis()).containsExactly(200.0, 200.0, 200.0);
        } finally {
            scheduler.shutdownNow();
        }
    }

    /** Records the delay of every task it is given and runs it at once. */
    private static final class RecordingScheduler extends ScheduledThreadPoolExecutor {

        private final List<Double> delaysMillis = new CopyOnWriteArrayList<>();

        RecordingScheduler() {
            super(1);
        }

        List<Double> delaysMillis() {
            return delaysMillis;
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            delaysMillis.add(unit.toNanos(delay) / 1e6);
            return super.schedule(command, 0, unit);
        }

        @Override
        public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
            delaysMillis.add(unit.toNanos(delay) / 1e6);
            return super.schedule(callable, 0, unit);
        }
    }

    @Test
    void should_refuse_a_config_of_another_provider() {
        // given
        ExpertConfig openAi = ExpertConfig.builder("real").provider(ProviderKind.OPENAI_COMPATIBLE)
                .baseUrl("http://localhost:8000/v1").model("m").build();

        // when / then
        assertThatThrownBy(() -> new SimulatedExpert(openAi)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not simulated");
        assertThat(new SimulatedExpert(openAi.asSimulated()).simulated()).isTrue();
    }
}
