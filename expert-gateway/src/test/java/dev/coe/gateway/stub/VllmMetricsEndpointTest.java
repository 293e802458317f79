package dev.coe.gateway.stub;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The vLLM-style {@code /metrics} endpoint of {@link OpenAiStubServer}. */
class VllmMetricsEndpointTest {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> scrape(OpenAiStubServer stub) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(stub.metricsUrl())).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void should_serve_an_idle_engine_in_prometheus_text_format_by_default() throws Exception {
        try (OpenAiStubServer stub = new OpenAiStubServer()) {
            // when
            HttpResponse<String> response = scrape(stub);

            // then
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(response.body()).isEqualTo("""
                    # HELP vllm:num_requests_running Number of requests in model execution batches.
                    # TYPE vllm:num_requests_running gauge
                    vllm:num_requests_running{engine="0",model_name="stub-model"} 0.0
                    # HELP vllm:num_requests_waiting Number of requests waiting to be processed.
                    # TYPE vllm:num_requests_waiting gauge
                    vllm:num_requests_waiting{engine="0",model_name="stub-model"} 0.0
                    # HELP vllm:kv_cache_usage_perc KV-cache usage. 1 means 100 percent usage.
                    # TYPE vllm:kv_cache_usage_perc gauge
                    vllm:kv_cache_usage_perc{engine="0",model_name="stub-model"} 0.0
                    """);
            assertThat(stub.metricsScrapes()).isEqualTo(1);
        }
    }

    @Test
    void should_serve_set_gauges_with_one_series_per_engine() throws Exception {
        try (OpenAiStubServer stub = new OpenAiStubServer()) {
            // given
            stub.metric("vllm:num_requests_waiting", 3).metric("vllm:num_requests_waiting", 1, 4)
                    .metric("vllm:gpu_cache_usage_perc", 0.75).metric("vllm:kv_cache_usage_perc", Double.NaN)
                    .removeMetric("vllm:num_requests_running");

            // when
            String body = scrape(stub).body();

            // then
            assertThat(body).contains("vllm:num_requests_waiting{engine=\"0\",model_name=\"stub-model\"} 3.0\n"
                            + "vllm:num_requests_waiting{engine=\"1\",model_name=\"stub-model\"} 4.0\n")
                    .contains("# HELP vllm:gpu_cache_usage_perc GPU KV-cache usage. 1 means 100 percent usage.\n"
                            + "# TYPE vllm:gpu_cache_usage_perc gauge\n"
                            + "vllm:gpu_cache_usage_perc{engine=\"0\",model_name=\"stub-model\"} 0.75\n")
                    .contains("vllm:kv_cache_usage_perc{engine=\"0\",model_name=\"stub-model\"} NaN\n")
                    .doesNotContain("num_requests_running");
        }
    }

    @Test
    void should_fail_scrapes_and_count_them_until_healed() throws Exception {
        try (OpenAiStubServer stub = new OpenAiStubServer()) {
            // given
            stub.failMetrics(500);

            // when
            int failed = scrape(stub).statusCode();
            stub.failMetrics(0);
            int healed = scrape(stub).statusCode();

            // then
            assertThat(failed).isEqualTo(500);
            assertThat(healed).isEqualTo(200);
            assertThat(stub.metricsScrapes()).isEqualTo(2);
            assertThat(stub.chatRequests()).isEmpty();
        }
    }

    @Test
    void should_serve_raw_text_and_not_ask_for_the_api_key() throws Exception {
        try (OpenAiStubServer stub = new OpenAiStubServer()) {
            // given: vLLM's --api-key guards /v1 only
            stub.metricsText("garbage\n").requireApiKey("sk-secret");

            // when / then
            assertThat(scrape(stub).body()).isEqualTo("garbage\n");
        }
    }

    @Test
    void should_forget_metric_settings_on_reset() throws Exception {
        try (OpenAiStubServer stub = new OpenAiStubServer()) {
            // given
            stub.metric("vllm:num_requests_waiting", 9).failMetrics(503).metricsText("x");
            scrape(stub);

            // when
            stub.reset();

            // then
            assertThat(stub.metricsScrapes()).isZero();
            HttpResponse<String> response = scrape(stub);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("vllm:num_requests_waiting{engine=\"0\",model_name=\"stub-model\"} 0.0");
        }
    }

    @Test
    void should_refuse_an_invalid_metric_name_or_failure_status() {
        try (OpenAiStubServer stub = new OpenAiStubServer()) {
            assertThatThrownBy(() -> stub.metric("vllm:bad name", 1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> stub.failMetrics(200)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
