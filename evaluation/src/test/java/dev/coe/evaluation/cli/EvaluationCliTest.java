package dev.coe.evaluation.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.coe.evaluation.TinySuite;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A live run of {@link TinySuite} from the command line against a fake router over real HTTP: {@code auto} is
 * answered by expert a with the {@code x-coe-*} headers, the judge rates 7, except one garbled judgement, and the
 * first call fails with a 503 that the client retries.
 */
class EvaluationCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private HttpServer router;
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger judgeCalls = new AtomicInteger();

    @AfterEach
    void stop() {
        if (router != null) {
            router.stop(0);
        }
    }

    private String startFakeRouter() throws IOException {
        router = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        router.createContext("/v1/chat/completions", exchange -> {
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            String model = body.get("model").asText();
            String content;
            int status = 200;
            if (calls.incrementAndGet() == 1) {
                status = 503;
                content = "busy";
            } else if (model.equals("judge")) {
                content = judgeCalls.incrementAndGet() == 2 ? "no rating here" : "Fine. Rating: [[7]]";
            } else {
                exchange.getResponseHeaders().add("x-coe-expert", "a");
                exchange.getResponseHeaders().add("x-coe-category", "writing");
                exchange.getResponseHeaders().add("x-coe-confidence", "0.8");
                content = "live answer";
            }
            byte[] out = JSON.writeValueAsBytes(JSON.createObjectNode().set("choices", JSON.createArrayNode()
                    .add(JSON.createObjectNode().set("message", JSON.createObjectNode().put("content", content)))));
            exchange.sendResponseHeaders(status, out.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(out);
            }
        });
        router.start();
        return "http://127.0.0.1:" + router.getAddress().getPort();
    }

    @Test
    void should_write_the_report_with_the_unparseable_count_when_running_live() throws IOException {
        // given
        TinySuite.load(dir, null);
        Files.createDirectories(dir.resolve("data/mt_bench"));
        Files.writeString(dir.resolve("data/mt_bench/judge_prompts.jsonl"), String.join("\n",
                "{\"name\": \"single-v1\", \"system_prompt\": \"S\", \"prompt_template\": \"{question} {answer}\"}",
                "{\"name\": \"single-math-v1\", \"system_prompt\": \"S\", \"prompt_template\": \"{question} {ref_answer_1} {answer}\"}",
                "{\"name\": \"single-v1-multi-turn\", \"system_prompt\": \"S\", \"prompt_template\": \"{question_1} {answer_1} {question_2} {answer_2}\"}",
                "{\"name\": \"single-math-v1-multi-turn\", \"system_prompt\": \"S\", \"prompt_template\": \"{question_1} {ref_answer_1} {answer_1} {question_2} {ref_answer_2} {answer_2}\"}"));
        Files.writeString(dir.resolve("examples.jsonl"), "{\"text\": \"Leaked prompt\", \"category\": \"writing\"}\n");
        String url = startFakeRouter();

        // when
        int status = EvaluationCli.run(Options.parse(new String[] {"--router", url, "--suite",
                dir.resolve("tiny.yaml").toString(), "--judge", "judge", "--data", dir.resolve("data").toString(),
                "--examples", dir.resolve("examples.jsonl").toString(), "--out", dir.resolve("out").toString(),
                "--concurrency", "1"}));

        // then: 3 items (q3 refused as leaked, q4 kept: live mode needs no recorded grade) x 2 turns
        assertThat(status).isZero();
        String report = Files.readString(dir.resolve("out/report.md"));
        assertThat(report).contains("judge judge: 5 ratings parsed, 1 judgements unparseable, 0 judge calls failed")
                .contains("unscored turns: 1").contains("**(3)**");
        assertThat(Files.readAllLines(dir.resolve("out/records.jsonl"))).hasSize(6)
                .allSatisfy(line -> assertThat(line).contains("\"expert\":\"a\"", "\"confidence\":0.8"));
        assertThat(Files.readString(dir.resolve("out/answers/tiny.jsonl"))).contains("\"model_id\":\"coe-router\"",
                "\"turns\":[\"live answer\",\"live answer\"]");
    }

    @Test
    void should_name_the_problem_when_an_option_is_bad() {
        assertThatThrownBy(() -> Options.parse(new String[] {"--router", "http://x", "--suite", "s.yaml",
                "--concurrency", "0"})).hasMessage("--concurrency must be a positive integer, but was 0");
        assertThatThrownBy(() -> Options.parse(new String[] {"--suite", "s.yaml"}))
                .hasMessageContaining("--router and at least one --suite are required");
    }
}
