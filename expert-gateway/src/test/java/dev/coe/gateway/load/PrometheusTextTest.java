package dev.coe.gateway.load;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PrometheusTextTest {

    @Test
    void should_read_samples_with_labels_and_skip_help_type_comments_and_blank_lines() {
        // when
        PrometheusText text = PrometheusText.parse("""
                # HELP vllm:num_requests_waiting Number of requests waiting to be processed.
                # TYPE vllm:num_requests_waiting gauge

                # a free comment
                vllm:num_requests_waiting{engine="0",model_name="Qwen/Qwen3-8B"} 3.0
                process_open_fds 12
                """);

        // then
        assertThat(text.samples("vllm:num_requests_waiting")).singleElement().satisfies(sample -> {
            assertThat(sample.labels()).isEqualTo(Map.of("engine", "0", "model_name", "Qwen/Qwen3-8B"));
            assertThat(sample.value()).isEqualTo(3.0);
        });
        assertThat(text.sum("process_open_fds")).hasValue(12);
        assertThat(text.skippedLines()).isZero();
    }

    @Test
    void should_sum_the_series_of_one_metric_and_average_them_for_fractions() {
        // when
        PrometheusText text = PrometheusText.parse("""
                vllm:num_requests_waiting{engine="0",model_name="m"} 5.0
                vllm:num_requests_waiting{engine="1",model_name="m"} 4.0
                vllm:kv_cache_usage_perc{engine="0",model_name="m"} 0.5
                vllm:kv_cache_usage_perc{engine="1",model_name="m"} 0.9
                """);

        // then
        assertThat(text.sum("vllm:num_requests_waiting")).hasValue(9);
        assertThat(text.mean("vllm:kv_cache_usage_perc").getAsDouble()).isCloseTo(0.7, within(1e-12));
        assertThat(text.sum("vllm:num_requests_running")).isEmpty();
    }

    @Test
    void should_read_nan_infinities_and_scientific_notation() {
        // when
        PrometheusText text = PrometheusText.parse("""
                a NaN
                b +Inf
                c -Inf
                d 1.5e+03
                e 2E-2
                f -0.25
                g .5
                """);

        // then
        assertThat(text.samples("a").getFirst().value()).isNaN();
        assertThat(text.sum("b")).hasValue(Double.POSITIVE_INFINITY);
        assertThat(text.sum("c")).hasValue(Double.NEGATIVE_INFINITY);
        assertThat(text.sum("d")).hasValue(1500);
        assertThat(text.sum("e")).hasValue(0.02);
        assertThat(text.sum("f")).hasValue(-0.25);
        assertThat(text.sum("g")).hasValue(0.5);
    }

    @Test
    void should_leave_nan_series_out_of_sums_and_means() {
        // when
        PrometheusText text = PrometheusText.parse("""
                w{engine="0"} NaN
                w{engine="1"} 2
                only_nan NaN
                """);

        // then
        assertThat(text.sum("w")).hasValue(2);
        assertThat(text.mean("w")).hasValue(2);
        assertThat(text.sum("only_nan")).isEmpty();
    }

    @Test
    void should_unescape_label_values_that_hold_quotes_commas_braces_and_spaces() {
        // when
        PrometheusText text = PrometheusText.parse(
                "m{path=\"C:\\\\models\\\\x\",note=\"say \\\"hi\\\", {ok}\",multi=\"a\\nb\" , } 7 1700000000000\n");

        // then
        assertThat(text.samples("m")).singleElement().satisfies(sample -> {
            assertThat(sample.labels()).containsEntry("path", "C:\\models\\x").containsEntry("note", "say \"hi\", {ok}")
                    .containsEntry("multi", "a\nb");
            assertThat(sample.value()).isEqualTo(7);
        });
    }

    @Test
    void should_ignore_timestamps_exemplars_empty_braces_and_crlf_line_ends() {
        // when
        PrometheusText text = PrometheusText.parse("a{} 1 1700000000000\r\n"
                + "b_total{le=\"0.5\"} 4 # {trace_id=\"abc\"} 0.3 1700000000.1\r\n"
                + "c\t2\r\n");

        // then
        assertThat(text.sum("a")).hasValue(1);
        assertThat(text.sum("b_total")).hasValue(4);
        assertThat(text.sum("c")).hasValue(2);
        assertThat(text.skippedLines()).isZero();
    }

    @Test
    void should_skip_and_count_lines_that_are_not_samples_but_keep_the_rest() {
        // when
        PrometheusText text = PrometheusText.parse("""
                <html>oops</html>
                no_value
                bad_value{x="1"} twelve
                java_style 1.0d
                unclosed{x="1" 3
                good 5
                """);

        // then
        assertThat(text.sum("good")).hasValue(5);
        assertThat(text.skippedLines()).isEqualTo(5);
        assertThat(text.samples("no_value")).isEmpty();
    }

    @Test
    void should_refuse_a_value_that_is_not_a_prometheus_float() {
        assertThatThrownBy(() -> PrometheusText.parseValue("0x10")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> PrometheusText.parseValue("Infinity")).isInstanceOf(NumberFormatException.class);
        assertThat(PrometheusText.parseValue("3")).isEqualTo(3.0);
    }
}
