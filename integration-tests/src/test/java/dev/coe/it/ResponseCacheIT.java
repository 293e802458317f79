package dev.coe.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static dev.coe.it.StubbedRouter.ANTHROPIC;
import static dev.coe.it.StubbedRouter.OPENAI;
import static dev.coe.it.StubbedRouter.ROUTER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The response cache through the running router: what hits, what misses, what bypasses, coalescing of identical
 * requests in flight, and a streamed answer stored once complete and replayed as a stream. Every test asks about
 * a prompt of its own, so tests never see each other's cached answers.
 */
class ResponseCacheIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(20);
    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final String prompt = "What is the capital of France? (" + UUID.randomUUID() + ")";
    private final String messages = "[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]";

    @BeforeEach
    void resetStubs() {
        StubbedRouter.resetStubs();
    }

    @Test
    void should_hit_when_the_same_deterministic_request_comes_with_its_json_keys_reordered() throws Exception {
        OPENAI.replyText("Paris.");
        HttpResponse<String> first = post("{\"model\":\"coder\",\"temperature\":0,\"max_tokens\":50,\"messages\":" + messages + "}");
        HttpResponse<String> second = post("{\"messages\":" + messages + ",\"max_tokens\":50,\"temperature\":0.0,\"model\":\"coder\"}");

        assertThat(first.headers().firstValue("x-coe-cache")).contains("miss");
        assertThat(second.headers().firstValue("x-coe-cache")).contains("hit");
        assertThat(text(second)).isEqualTo("Paris.");
        assertThat(OPENAI.chatRequests()).hasSize(1);
        assertThat(PrometheusScrape.value(ROUTER, "cache_gets_total", "cache", "coe.responses", "result", "hit")).isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void should_miss_when_any_output_affecting_parameter_changes() throws Exception {
        post("{\"model\":\"coder\",\"temperature\":0,\"max_tokens\":50,\"messages\":" + messages + "}");
        List<String> variants = List.of(
                "{\"model\":\"coder\",\"temperature\":0,\"max_tokens\":51,\"messages\":" + messages + "}",
                "{\"model\":\"coder\",\"temperature\":0,\"max_tokens\":50,\"stop\":[\"END\"],\"messages\":" + messages + "}",
                "{\"model\":\"coder\",\"temperature\":0,\"max_tokens\":50,\"top_p\":0.5,\"messages\":" + messages + "}",
                "{\"model\":\"coder\",\"temperature\":0,\"max_tokens\":50,\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                        + messages.substring(1) + "}");

        for (String body : variants) {
            assertThat(post(body).headers().firstValue("x-coe-cache")).as(body).contains("miss");
        }
        assertThat(OPENAI.chatRequests()).hasSize(1 + variants.size());
    }

    @Test
    void should_bypass_a_sampled_request_and_one_that_says_no_cache() throws Exception {
        String sampled = "{\"model\":\"coder\",\"temperature\":0.8,\"messages\":" + messages + "}";
        String greedy = "{\"model\":\"coder\",\"temperature\":0,\"messages\":" + messages + "}";

        assertThat(post(sampled).headers().firstValue("x-coe-cache")).contains("bypass");
        assertThat(post(sampled).headers().firstValue("x-coe-cache")).contains("bypass");
        post(greedy);
        assertThat(post(greedy, "Cache-Control", "no-cache").headers().firstValue("x-coe-cache")).contains("bypass");
        assertThat(post(sampled, "x-coe-cache", "force").headers().firstValue("x-coe-cache")).contains("miss");
        assertThat(post(sampled, "x-coe-cache", "force").headers().firstValue("x-coe-cache")).contains("hit");

        assertThat(OPENAI.chatRequests()).hasSize(5);
        HttpResponse<String> bad = post(greedy, "x-coe-cache", "sometimes");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).path("error").path("message").asText()).contains("x-coe-cache").contains("sometimes");
    }

    @Test
    void should_follow_the_category_cache_policy_when_the_rule_sets_one() throws Exception {
        // given roleplay has cache: off, so even a deterministic request is never cached
        ANTHROPIC.replyText("Arr, welcome aboard!");
        String roleplay = "{\"model\":\"auto\",\"temperature\":0,\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"Pretend you are a grumpy pirate captain and greet your new crew, staying in character. (" + UUID.randomUUID() + ")\"}]}";
        HttpResponse<String> first = post(roleplay);
        HttpResponse<String> second = post(roleplay);
        assertThat(first.headers().firstValue("x-coe-category")).contains("roleplay");
        assertThat(first.headers().firstValue("x-coe-cache")).contains("bypass");
        assertThat(second.headers().firstValue("x-coe-cache")).contains("bypass");
        assertThat(ANTHROPIC.chatRequests()).hasSize(2);

        // and extraction has cache: always, so even a sampled request is cached
        OPENAI.replyText("{\"names\": [\"John\", \"Mary\"]}");
        String extraction = "{\"model\":\"auto\",\"temperature\":0.9,\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"Extract every person name and date from this text and return them as JSON: John met Mary on 3 May 2021 "
                + "in Paris. (" + UUID.randomUUID() + ")\"}]}";
        HttpResponse<String> miss = post(extraction);
        HttpResponse<String> hit = post(extraction);
        assertThat(miss.headers().firstValue("x-coe-category")).contains("extraction");
        assertThat(miss.headers().firstValue("x-coe-cache")).contains("miss");
        assertThat(hit.headers().firstValue("x-coe-cache")).contains("hit");
        // a client's stricter header still wins over the category
        assertThat(post(extraction, "Cache-Control", "no-store").headers().firstValue("x-coe-cache")).contains("bypass");
        assertThat(OPENAI.chatRequests()).hasSize(2);
    }

    @Test
    void should_make_one_upstream_call_for_identical_requests_in_flight_together() throws Exception {
        OPENAI.replyText("Paris, once.").delayFirstByte(Duration.ofSeconds(1));
        String body = "{\"model\":\"coder\",\"seed\":7,\"messages\":" + messages + "}";
        List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            pending.add(http.sendAsync(request(body), HttpResponse.BodyHandlers.ofString()));
        }

        List<String> statuses = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> f : pending) {
            HttpResponse<String> r = f.get();
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(text(r)).isEqualTo("Paris, once.");
            statuses.add(r.headers().firstValue("x-coe-cache").orElseThrow());
        }

        assertThat(OPENAI.chatRequests()).hasSize(1);
        assertThat(statuses).containsOnlyOnce("miss").contains("hit");
    }

    @Test
    void should_make_one_upstream_call_for_identical_streams_in_flight_together() throws Exception {
        OPENAI.replyText("Paris is the capital of France, streamed once.").delayFirstByte(Duration.ofSeconds(1));
        String body = "{\"model\":\"coder\",\"temperature\":0,\"stream\":true,\"messages\":" + messages + "}";
        double coalescedBefore = PrometheusScrape.value(ROUTER, "cache_coalesced_total", "cache", "coe.responses");
        List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            pending.add(http.sendAsync(request(body), HttpResponse.BodyHandlers.ofString()));
        }

        List<String> statuses = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> f : pending) {
            HttpResponse<String> r = f.get();
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(StreamedText.of(r.body())).isEqualTo("Paris is the capital of France, streamed once.");
            assertThat(r.body()).endsWith("data: [DONE]\n\n");
            statuses.add(r.headers().firstValue("x-coe-cache").orElseThrow());
        }

        assertThat(OPENAI.chatRequests()).hasSize(1);
        assertThat(statuses).containsOnlyOnce("miss").contains("hit");
        assertThat(PrometheusScrape.value(ROUTER, "cache_coalesced_total", "cache", "coe.responses") - coalescedBefore)
                .isEqualTo(7.0);
    }

    @Test
    void should_store_a_streamed_answer_once_complete_and_replay_it_as_a_stream() throws Exception {
        OPENAI.replyText("Paris is the capital of France, and has been for a long time.");
        String body = "{\"model\":\"coder\",\"temperature\":0,\"stream\":true,\"messages\":" + messages + "}";

        HttpResponse<String> live = post(body);
        HttpResponse<String> replayed = post(body);
        HttpResponse<String> whole = post("{\"model\":\"coder\",\"temperature\":0,\"messages\":" + messages + "}");

        assertThat(live.headers().firstValue("x-coe-cache")).contains("miss");
        assertThat(replayed.headers().firstValue("x-coe-cache")).contains("hit");
        assertThat(replayed.headers().firstValue("content-type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/event-stream"));
        assertThat(StreamedText.of(replayed.body())).isEqualTo(StreamedText.of(live.body()))
                .isEqualTo("Paris is the capital of France, and has been for a long time.");
        assertThat(replayed.body().split("\n\n")).hasSizeGreaterThan(4);
        assertThat(replayed.body()).endsWith("data: [DONE]\n\n");
        assertThat(whole.headers().firstValue("x-coe-cache")).contains("hit");
        assertThat(OPENAI.chatRequests()).hasSize(1);
    }

    private static HttpRequest request(String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(ROUTER.baseUrl() + "/v1/chat/completions"))
                .timeout(CLIENT_TIMEOUT).header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b.POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static HttpResponse<String> post(String body, String... headers) throws IOException, InterruptedException {
        return http.send(request(body, headers), HttpResponse.BodyHandlers.ofString());
    }

    private static String text(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body()).at("/choices/0/message/content").asText();
    }

}
