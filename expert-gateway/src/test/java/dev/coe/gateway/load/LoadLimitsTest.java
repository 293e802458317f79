package dev.coe.gateway.load;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadLimitsTest {

    private static LoadLimits.Builder valid() {
        return LoadLimits.builder().metricsUrl("http://localhost:8000/metrics");
    }

    @Test
    void should_default_to_no_limits_a_2s_interval_a_1s_timeout_and_stale_after_three_intervals() {
        // when
        LoadLimits limits = valid().build();

        // then
        assertThat(limits.maxRequestsWaiting()).isNull();
        assertThat(limits.maxKvCacheUsage()).isNull();
        assertThat(limits.scrapeInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(limits.scrapeTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(limits.staleAfter()).isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void should_derive_stale_after_from_the_interval_when_not_set() {
        assertThat(valid().scrapeInterval(Duration.ofMillis(500)).build().staleAfter()).isEqualTo(Duration.ofMillis(1500));
        assertThat(valid().scrapeInterval(Duration.ofMillis(500)).staleAfter(Duration.ofSeconds(5)).build().staleAfter())
                .isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void should_derive_the_metrics_url_from_an_openai_compatible_base_url() {
        assertThat(LoadLimits.metricsUrlFor(URI.create("http://gpu1:8000/v1"))).isEqualTo(URI.create("http://gpu1:8000/metrics"));
        assertThat(LoadLimits.metricsUrlFor(URI.create("http://gpu1:8000/v1/"))).isEqualTo(URI.create("http://gpu1:8000/metrics"));
        assertThat(LoadLimits.metricsUrlFor(URI.create("http://gpu1:8000"))).isEqualTo(URI.create("http://gpu1:8000/metrics"));
        assertThat(LoadLimits.metricsUrlFor(URI.create("https://gw.example/vllm-a/v1?x=1")))
                .isEqualTo(URI.create("https://gw.example/vllm-a/metrics"));
        assertThat(valid().baseUrl(URI.create("http://[::1]:8000/v1")).build().metricsUrl())
                .isEqualTo(URI.create("http://[::1]:8000/metrics"));
    }

    @Test
    void should_name_the_value_that_is_wrong() {
        assertThatThrownBy(() -> LoadLimits.builder().build()).hasMessage("metricsUrl must be set (or derived with baseUrl)");
        assertThatThrownBy(() -> valid().maxKvCacheUsage(1.2).build())
                .hasMessage("maxKvCacheUsage must be between 0 and 1, but was 1.2");
        assertThatThrownBy(() -> valid().maxKvCacheUsage(Double.NaN).build())
                .hasMessage("maxKvCacheUsage must be between 0 and 1, but was NaN");
        assertThatThrownBy(() -> valid().maxRequestsWaiting(-1).build())
                .hasMessage("maxRequestsWaiting must be >= 0, but was -1");
        assertThatThrownBy(() -> valid().scrapeInterval(Duration.ZERO).build())
                .hasMessage("scrapeInterval must be positive, but was PT0S");
        assertThatThrownBy(() -> valid().scrapeTimeout(null).build()).hasMessage("scrapeTimeout must be positive, but was null");
        assertThatThrownBy(() -> valid().staleAfter(Duration.ofSeconds(1)).build())
                .hasMessage("staleAfter must be at least the scrapeInterval (PT2S), but was PT1S");
        assertThatThrownBy(() -> LoadLimits.builder().metricsUrl("file:///metrics").build())
                .hasMessage("metricsUrl must be an absolute http:// or https:// URL, but was 'file:///metrics'");
        assertThatThrownBy(() -> LoadLimits.metricsUrlFor(URI.create("/v1")))
                .hasMessageStartingWith("baseUrl must be an absolute http:// or https:// URL");
    }

    @Test
    void should_be_equal_when_every_value_is() {
        assertThat(valid().maxRequestsWaiting(8).build()).isEqualTo(valid().maxRequestsWaiting(8).build())
                .hasSameHashCodeAs(valid().maxRequestsWaiting(8).build())
                .isNotEqualTo(valid().maxRequestsWaiting(9).build());
        assertThat(valid().build().toString()).contains("metricsUrl=http://localhost:8000/metrics", "staleAfter=PT6S");
    }
}
