package dev.coe.gateway.load;

import dev.coe.gateway.stub.OpenAiStubServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link EngineLoadMonitor} against the vLLM-style {@code /metrics} of {@link OpenAiStubServer}, on a fake clock. */
class EngineLoadMonitorTest {

    private static final Duration STALE_AFTER = Duration.ofSeconds(6);

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private OpenAiStubServer stub;
    private EngineLoadMonitor monitor;

    @BeforeEach
    void startStub() {
        stub = new OpenAiStubServer();
    }

    @AfterEach
    void stop() {
        if (monitor != null) {
            monitor.close();
        }
        stub.close();
    }

    private EngineLoadMonitor monitor(UnaryOperator<LoadLimits.Builder> limits) {
        LoadLimits built = limits.apply(LoadLimits.builder().baseUrl(URI.create(stub.baseUrl()))).build();
        monitor = EngineLoadMonitor.builder(built).nanoTime(now::get).build();
        return monitor;
    }

    private EngineLoadMonitor limitedTo(int maxWaiting, double maxKvCache) {
        return monitor(limits -> limits.maxRequestsWaiting(maxWaiting).maxKvCacheUsage(maxKvCache));
    }

    private void advance(Duration by) {
        now.addAndGet(by.toNanos());
    }

    @Test
    void should_not_report_overloaded_when_the_engine_is_under_its_limits() {
        // given
        stub.metric("vllm:num_requests_waiting", 3).metric("vllm:num_requests_running", 5).metric("vllm:kv_cache_usage_perc", 0.5);
        limitedTo(8, 0.9);

        // when
        Optional<EngineLoad> load = monitor.scrapeNow();

        // then
        assertThat(load).hasValue(new EngineLoad(3, 5, 0.5, now.get()));
        assertThat(monitor.load()).isEqualTo(load);
        assertThat(monitor.overloaded()).isEmpty();
        assertThat(monitor.lastError()).isEmpty();
        assertThat(stub.metricsScrapes()).isEqualTo(1);
    }

    @Test
    void should_report_why_when_more_requests_wait_than_the_limit() {
        // given
        stub.metric("vllm:num_requests_waiting", 12);
        limitedTo(8, 0.9);

        // when
        monitor.scrapeNow();

        // then
        assertThat(monitor.overloaded()).hasValue("vllm:num_requests_waiting 12 > limit 8");
    }

    @Test
    void should_report_why_when_the_kv_cache_is_fuller_than_the_limit() {
        // given
        stub.metric("vllm:kv_cache_usage_perc", 0.97);
        limitedTo(8, 0.9);

        // when
        monitor.scrapeNow();

        // then
        assertThat(monitor.overloaded()).hasValue("vllm:kv_cache_usage_perc 0.97 > limit 0.9");
    }

    @Test
    void should_name_both_limits_when_both_are_exceeded() {
        // given
        stub.metric("vllm:num_requests_waiting", 9).metric("vllm:kv_cache_usage_perc", 1.0);
        limitedTo(8, 0.9);

        // when
        monitor.scrapeNow();

        // then
        assertThat(monitor.overloaded())
                .hasValue("vllm:num_requests_waiting 9 > limit 8; vllm:kv_cache_usage_perc 1.0 > limit 0.9");
    }

    @Test
    void should_not_report_overloaded_when_a_value_equals_its_limit() {
        // given
        stub.metric("vllm:num_requests_waiting", 8).metric("vllm:kv_cache_usage_perc", 0.9);
        limitedTo(8, 0.9);

        // when
        monitor.scrapeNow();

        // then
        assertThat(monitor.overloaded()).isEmpty();
    }

    @Test
    void should_sum_waiting_requests_and_average_the_kv_cache_over_data_parallel_engines() {
        // given
        stub.metric("vllm:num_requests_waiting", 0, 5).metric("vllm:num_requests_waiting", 1, 4)
                .metric("vllm:kv_cache_usage_perc", 0, 0.2).metric("vllm:kv_cache_usage_perc", 1, 0.6);
        limitedTo(8, 0.9);

        // when
        EngineLoad load = monitor.scrapeNow().orElseThrow();

        // then
        assertThat(load.requestsWaiting()).isEqualTo(9);
        assertThat(load.kvCacheUsage()).isCloseTo(0.4, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(monitor.overloaded()).hasValue("vllm:num_requests_waiting 9 > limit 8");
    }

    @Test
    void should_read_the_gpu_cache_gauge_of_older_vllm_when_the_kv_cache_gauge_is_absent() {
        // given
        stub.removeMetric("vllm:kv_cache_usage_perc").metric("vllm:gpu_cache_usage_perc", 0.95);
        limitedTo(8, 0.9);

        // when
        monitor.scrapeNow();

        // then
        assertThat(monitor.overloaded()).hasValue("vllm:gpu_cache_usage_perc 0.95 > limit 0.9");
    }

    @Test
    void should_leave_the_kv_cache_unknown_and_unchecked_when_the_engine_does_not_report_it() {
        // given
        stub.removeMetric("vllm:kv_cache_usage_perc");
        limitedTo(8, 0.1);

        // when
        EngineLoad load = monitor.scrapeNow().orElseThrow();

        // then
        assertThat(load.kvCacheUsage()).isNull();
        assertThat(monitor.overloaded()).isEmpty();
    }

    @Test
    void should_never_report_overloaded_when_no_limit_is_set() {
        // given
        stub.metric("vllm:num_requests_waiting", 1000).metric("vllm:kv_cache_usage_perc", 1.0);
        monitor(UnaryOperator.identity());

        // when
        monitor.scrapeNow();

        // then
        assertThat(monitor.load().orElseThrow().requestsWaiting()).isEqualTo(1000);
        assertThat(monitor.overloaded()).isEmpty();
    }

    @Test
    void should_not_report_overloaded_but_say_why_when_the_first_scrapes_fail() {
        // given
        stub.metric("vllm:num_requests_waiting", 50).failMetrics(500);
        limitedTo(8, 0.9);

        // when
        Optional<EngineLoad> load = monitor.scrapeNow();

        // then
        assertThat(load).isEmpty();
        assertThat(monitor.load()).isEmpty();
        assertThat(monitor.overloaded()).isEmpty();
        assertThat(monitor.lastError()).hasValue("GET " + stub.metricsUrl() + " answered HTTP 500");
    }

    @Test
    void should_keep_an_overloaded_reading_through_a_failed_scrape_until_it_goes_stale() {
        // given: a good overloaded reading, then the endpoint fails
        stub.metric("vllm:num_requests_waiting", 12);
        limitedTo(8, 0.9);
        monitor.scrapeNow();
        stub.failMetrics(503);

        // when / then: one lost scrape does not swing the verdict
        advance(Duration.ofSeconds(2));
        assertThat(monitor.scrapeNow()).isEmpty();
        assertThat(monitor.overloaded()).hasValue("vllm:num_requests_waiting 12 > limit 8");
        assertThat(monitor.lastError()).hasValue("GET " + stub.metricsUrl() + " answered HTTP 503");

        // when / then: but a reading older than staleAfter is not trusted
        advance(STALE_AFTER);
        assertThat(monitor.overloaded()).isEmpty();
        assertThat(monitor.lastError()).hasValue("GET " + stub.metricsUrl() + " answered HTTP 503");
        assertThat(stub.metricsScrapes()).isEqualTo(2);
    }

    @Test
    void should_stop_reporting_overloaded_when_the_reading_is_older_than_stale_after() {
        // given
        stub.metric("vllm:num_requests_waiting", 12);
        limitedTo(8, 0.9);
        monitor.scrapeNow();

        // when / then: fresh up to and including staleAfter, stale beyond
        advance(STALE_AFTER);
        assertThat(monitor.overloaded()).isPresent();
        assertThat(monitor.lastError()).isEmpty();
        advance(Duration.ofNanos(1));
        assertThat(monitor.overloaded()).isEmpty();
        assertThat(monitor.lastError()).hasValue("the last good scrape of " + stub.metricsUrl()
                + " is 6000 ms old, stale after 6000 ms");
        assertThat(monitor.load()).isPresent();
    }

    @Test
    void should_clear_the_error_and_judge_afresh_when_a_scrape_succeeds_again() {
        // given
        stub.failMetrics(500);
        limitedTo(8, 0.9);
        monitor.scrapeNow();

        // when
        stub.failMetrics(0).metric("vllm:num_requests_waiting", 9);
        advance(Duration.ofSeconds(2));
        monitor.scrapeNow();

        // then
        assertThat(monitor.lastError()).isEmpty();
        assertThat(monitor.overloaded()).hasValue("vllm:num_requests_waiting 9 > limit 8");
        assertThat(monitor.load().orElseThrow().scrapedAtNanos()).isEqualTo(now.get());
    }

    @Test
    void should_say_which_gauge_is_missing_when_the_endpoint_serves_something_else() {
        // given
        stub.metricsText("<html><body>Not vLLM</body></html>\nllamacpp:requests_processing 3\n");
        limitedTo(8, 0.9);

        // when
        monitor.scrapeNow();

        // then
        assertThat(monitor.overloaded()).isEmpty();
        assertThat(monitor.lastError()).hasValue("the metrics of " + stub.metricsUrl()
                + " have no vllm:num_requests_waiting (1 lines not understood)");
    }

    @Test
    void should_say_the_engine_cannot_be_reached_when_the_connection_is_refused() {
        // given
        limitedTo(8, 0.9);
        stub.close();

        // when
        monitor.scrapeNow();

        // then
        assertThat(monitor.overloaded()).isEmpty();
        assertThat(monitor.lastError()).hasValueSatisfying(error -> assertThat(error)
                .startsWith("GET " + stub.metricsUrl() + " failed: ConnectException"));
    }

    @Test
    void should_scrape_on_the_injected_scheduler_until_closed_and_leave_the_scheduler_running() throws Exception {
        // given
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            LoadLimits limits = LoadLimits.builder().metricsUrl(stub.metricsUrl()).maxRequestsWaiting(8)
                    .scrapeInterval(Duration.ofMillis(20)).build();
            stub.metric("vllm:num_requests_waiting", 12);
            monitor = EngineLoadMonitor.builder(limits).scheduler(scheduler).build().start().start();

            // when
            awaitScrapes(3);
            monitor.close();
            int afterClose = stub.metricsScrapes();
            Thread.sleep(100); // five intervals: room for scrapes that must not come

            // then
            assertThat(stub.metricsScrapes()).isBetween(afterClose, afterClose + 1); // one may have been in flight
            assertThat(scheduler.isShutdown()).isFalse();
            assertThat(monitor.load().orElseThrow().requestsWaiting()).isEqualTo(12);
            assertThatThrownBy(monitor::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void should_scrape_on_a_daemon_thread_of_its_own_by_default() throws Exception {
        // given
        LoadLimits limits = LoadLimits.builder().metricsUrl(stub.metricsUrl()).scrapeInterval(Duration.ofMillis(20)).build();
        monitor = EngineLoadMonitor.of(limits).start();

        // when
        awaitScrapes(1);

        // then
        Thread scraper = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("engine-load-127.0.0.1:" + stub.port())).findFirst().orElseThrow();
        assertThat(scraper.isDaemon()).isTrue();
        monitor.close();
        scraper.join(1000);
        assertThat(scraper.isAlive()).isFalse();
    }

    /** Waits, at most a second, for the stub to have been scraped this often: the scheduler runs in real time. */
    private void awaitScrapes(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (stub.metricsScrapes() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(stub.metricsScrapes()).isGreaterThanOrEqualTo(count);
    }
}
