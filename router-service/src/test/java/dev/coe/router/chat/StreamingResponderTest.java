package dev.coe.router.chat;

import dev.coe.gateway.Expert;
import dev.coe.gateway.ExpertCalls;
import dev.coe.gateway.ExpertConfig;
import dev.coe.gateway.ExpertHealth;
import dev.coe.gateway.ExpertId;
import dev.coe.gateway.ExpertRegistry;
import dev.coe.gateway.ExpertRequest;
import dev.coe.gateway.Feature;
import dev.coe.gateway.ProviderKind;
import dev.coe.gateway.cache.CacheDirective;
import dev.coe.gateway.cache.CaffeineResponseCache;
import dev.coe.gateway.cache.ResponseCache;
import dev.coe.gateway.resilience.Deadline;
import dev.coe.gateway.resilience.ManualClock;
import dev.coe.router.routing.RoutingDecision;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The streaming responder's own safety net, for a stream that nothing else ends, who writes a stream's pieces, and the
 * comments that keep a quiet stream's connection open.
 */
class StreamingResponderTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A bare expert, without the guard's timers: it sends one token, then neither finishes nor fails. */
    private record Hanging(ExpertConfig config) implements Expert {
        public ExpertId id() { return config.id(); }
        public Set<Feature> supportedFeatures() { return EnumSet.allOf(Feature.class); }
        public ChatResponse chat(ExpertRequest request) { throw new AssertionError("not called"); }
        public void stream(ExpertRequest request, StreamingChatResponseHandler handler) { handler.onPartialResponse("Once upon"); }
        public ExpertHealth checkHealth() { return ExpertHealth.up("test"); }
    }

    /** Streams 20 tokens 5 ms apart from a thread of its own named "provider", as langchain4j's readers do, then ends. */
    private record Paced(ExpertConfig config) implements Expert {
        public ExpertId id() { return config.id(); }
        public Set<Feature> supportedFeatures() { return EnumSet.allOf(Feature.class); }
        public ChatResponse chat(ExpertRequest request) { throw new AssertionError("not called"); }
        public void stream(ExpertRequest request, StreamingChatResponseHandler handler) {
            Thread.ofVirtual().name("provider").start(() -> {
                StringBuilder text = new StringBuilder();
                for (int i = 0; i < 20; i++) {
                    handler.onPartialResponse("t" + i + " ");
                    text.append("t").append(i).append(' ');
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                handler.onCompleteResponse(ChatResponse.builder().aiMessage(AiMessage.from(text.toString()))
                        .finishReason(FinishReason.STOP).build());
            });
        }
        public ExpertHealth checkHealth() { return ExpertHealth.up("test"); }
    }

    /** Sends what the test puts in {@code tokens}, from a thread of its own, until "END". */
    private record Dictated(ExpertConfig config, BlockingQueue<String> tokens) implements Expert {
        public ExpertId id() { return config.id(); }
        public Set<Feature> supportedFeatures() { return EnumSet.allOf(Feature.class); }
        public ChatResponse chat(ExpertRequest request) { throw new AssertionError("not called"); }
        public void stream(ExpertRequest request, StreamingChatResponseHandler handler) {
            Thread.ofVirtual().name("provider").start(() -> {
                StringBuilder text = new StringBuilder();
                try {
                    for (String token = tokens.take(); !token.equals("END"); token = tokens.take()) {
                        handler.onPartialResponse(token);
                        text.append(token);
                    }
                } catch (InterruptedException e) {
                    return;
                }
                handler.onCompleteResponse(ChatResponse.builder().aiMessage(AiMessage.from(text.toString()))
                        .finishReason(FinishReason.STOP).build());
            });
        }
        public ExpertHealth checkHealth() { return ExpertHealth.up("test"); }
    }

    /** A response whose body notes the name of every thread that wrote to it. */
    private static final class WriterThreads extends HttpServletResponseWrapper {
        final MockHttpServletResponse mock;
        final Set<String> writers = ConcurrentHashMap.newKeySet();

        WriterThreads(MockHttpServletResponse mock) {
            super(mock);
            this.mock = mock;
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            ServletOutputStream out = mock.getOutputStream();
            return new ServletOutputStream() {
                public boolean isReady() { return true; }
                public void setWriteListener(WriteListener listener) { out.setWriteListener(listener); }
                public void write(int b) throws IOException { writers.add(Thread.currentThread().getName()); out.write(b); }
                public void write(byte[] b, int off, int len) throws IOException {
                    writers.add(Thread.currentThread().getName());
                    out.write(b, off, len);
                }
                public void flush() throws IOException { out.flush(); }
            };
        }
    }

    private static WriterThreads stream(String body, ExpertCalls calls) throws Exception {
        Expert expert = new Paced(ExpertConfig.builder("paced").provider(ProviderKind.SIMULATED)
                .requestTimeout(Duration.ofSeconds(20)).cacheTtl(Duration.ofMinutes(1)).build());
        ChatCompletionRequest request = new ChatRequestParser(JSON).parse(body.getBytes(StandardCharsets.UTF_8));
        RoutingDecision decision = new RoutingDecision("paced", RoutingDecision.NO_CATEGORY, 1.0, Map.of(),
                List.of(expert.id()), RoutingDecision.Reason.DIRECT, 0);
        FallbackChain chain = new FallbackChain(decision, ExpertRegistry.of(List.of(expert)), Set.of(),
                new RouterMetrics(new SimpleMeterRegistry()));
        WriterThreads response = new WriterThreads(new MockHttpServletResponse());
        new StreamingResponder(JSON, request, decision, chain, Deadline.after(new ManualClock(), Duration.ofMinutes(5)),
                calls, CacheDirective.DEFAULT, Duration.ZERO).respond(response);
        return response;
    }

    @Test
    void should_write_the_pieces_of_its_own_stream_on_the_providers_thread_when_the_stream_is_under_way() throws Exception {
        // when: a sampled request (no temperature), which no other request can share
        WriterThreads response = stream("{\"model\":\"paced\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Count\"}]}",
                new ExpertCalls(ResponseCache.disabled()));

        // then: after the first tokens, the provider's thread wrote the rest itself
        assertThat(response.mock.getContentAsString()).contains("t19 ").endsWith("data: [DONE]\n\n");
        assertThat(response.writers).contains("provider");
    }

    @Test
    void should_write_every_piece_on_the_request_thread_when_the_stream_may_be_shared() throws Exception {
        // when: a deterministic request, whose stream identical requests would join
        WriterThreads response = stream("{\"model\":\"paced\",\"stream\":true,\"temperature\":0,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Count\"}]}",
                new ExpertCalls(CaffeineResponseCache.builder().build()));

        // then: a slow client must not block the provider's thread that other clients share
        assertThat(response.mock.getContentAsString()).contains("t19 ").endsWith("data: [DONE]\n\n");
        assertThat(response.mock.getHeader("x-coe-cache")).isEqualTo("miss");
        assertThat(response.writers).containsExactly(Thread.currentThread().getName());
    }

    @Test
    void should_end_a_stream_with_an_error_event_when_nothing_else_ends_it() throws Exception {
        // given
        ManualClock clock = new ManualClock();
        Expert expert = new Hanging(ExpertConfig.builder("hanging").provider(ProviderKind.SIMULATED)
                .requestTimeout(Duration.ofSeconds(20)).build());
        MockHttpServletResponse response = new MockHttpServletResponse();
        CompletableFuture<Void> done = respondInBackground(expert, clock, Duration.ZERO, response);
        awaitBody(response, "Once upon");

        // when: the expert's request timeout and the second of margin pass on the router's clock
        clock.advance(Duration.ofSeconds(21));

        // then
        done.get(10, TimeUnit.SECONDS);
        assertThat(response.getContentAsString()).contains("stream not finished within 21000 ms")
                .contains("\"expert_stream_failed\"").doesNotContain("[DONE]");
    }

    @Test
    void should_write_a_comment_when_a_stream_under_way_stays_quiet_and_none_while_tokens_flow() throws Exception {
        // given: a stream of its own (written on the provider's thread once under way), keep-alive after 15 s of quiet
        ManualClock clock = new ManualClock();
        BlockingQueue<String> tokens = new LinkedBlockingQueue<>();
        Expert expert = new Dictated(ExpertConfig.builder("thinker").provider(ProviderKind.SIMULATED)
                .requestTimeout(Duration.ofMinutes(2)).build(), tokens);
        MockHttpServletResponse response = new MockHttpServletResponse();
        CompletableFuture<Void> done = respondInBackground(expert, clock, Duration.ofSeconds(15), response);
        tokens.add("Let me think.");
        awaitBody(response, "Let me think.");

        // when: 10 s pass, a token comes, 10 s more pass: never 15 s of quiet
        clock.advance(Duration.ofSeconds(10));
        tokens.add(" Hmm.");
        awaitBody(response, " Hmm.");
        clock.advance(Duration.ofSeconds(10));
        Thread.sleep(50);

        // then
        assertThat(response.getContentAsString()).doesNotContain(": keep-alive");

        // when: 5 s more make 15 s of quiet, then 15 s more
        clock.advance(Duration.ofSeconds(5));
        awaitBody(response, ": keep-alive\n\n");
        clock.advance(Duration.ofSeconds(15));
        awaitCount(response, ": keep-alive\n\n", 2);
        tokens.add(" The answer is 42.");
        tokens.add("END");
        done.get(10, TimeUnit.SECONDS);

        // then: comments between events, the answer whole, and the stream ended as usual
        String body = response.getContentAsString();
        assertThat(body.split(": keep-alive\n\n", -1)).hasSize(3);
        assertThat(body).contains(" Hmm.\"", "The answer is 42.").endsWith("data: [DONE]\n\n");
        assertThat(body.indexOf(": keep-alive")).isGreaterThan(body.indexOf(" Hmm.")).isLessThan(body.indexOf("42."));
    }

    /** A streamed request for {@code expert} by name, not cached, answered on another thread. */
    private static CompletableFuture<Void> respondInBackground(Expert expert, ManualClock clock, Duration keepAlive,
                                                               MockHttpServletResponse response) {
        ChatCompletionRequest request = new ChatRequestParser(JSON).parse(("{\"model\":\"" + expert.id().value()
                + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Tell a story\"}]}")
                .getBytes(StandardCharsets.UTF_8));
        RoutingDecision decision = new RoutingDecision(expert.id().value(), RoutingDecision.NO_CATEGORY, 1.0, Map.of(),
                List.of(expert.id()), RoutingDecision.Reason.DIRECT, 0);
        FallbackChain chain = new FallbackChain(decision, ExpertRegistry.of(List.of(expert)), Set.of(),
                new RouterMetrics(new SimpleMeterRegistry()));
        StreamingResponder responder = new StreamingResponder(JSON, request, decision, chain,
                Deadline.after(clock, Duration.ofMinutes(5)), new ExpertCalls(ResponseCache.disabled()), CacheDirective.BYPASS,
                keepAlive);
        return CompletableFuture.runAsync(() -> {
            try {
                responder.respond(response);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static void awaitCount(MockHttpServletResponse response, String text, int count) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (response.getContentAsString().split(text, -1).length - 1 < count) {
            if (System.nanoTime() > until) {
                throw new AssertionError(count + " x '" + text + "' expected in " + response.getContentAsString());
            }
            Thread.sleep(5);
        }
    }

    private static void awaitBody(MockHttpServletResponse response, String text) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!response.getContentAsString().contains(text)) {
            if (System.nanoTime() > until) {
                throw new AssertionError("no '" + text + "' in " + response.getContentAsString());
            }
            Thread.sleep(5);
        }
    }
}
