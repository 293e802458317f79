package dev.coe.it;

import dev.coe.gateway.load.EngineLoadMonitor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

import static dev.coe.it.StubbedRouter.OPENAI;
import static dev.coe.it.StubbedRouter.ROUTER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Grafana's provisioning ({@code deploy/grafana}) against Prometheus's and the router's: the data source is the
 * compose service Prometheus, the dashboards are loaded from where compose mounts them, and every metric a panel
 * queries is one the real router exposes on {@code /actuator/prometheus} after some traffic (or one vLLM exposes and
 * the router's load monitor reads, or one Prometheus makes itself), with the label values the query selects.
 */
class GrafanaDashboardIT {

    private static final String DASHBOARDS = "deploy/grafana/dashboards";
    /** Series Prometheus adds to every target it scrapes. */
    private static final Set<String> MADE_BY_PROMETHEUS = Set.of("up", "scrape_duration_seconds", "scrape_samples_scraped",
            "scrape_series_added", "scrape_samples_post_metric_relabeling");
    /** vLLM's metrics that the router's engine load monitor reads; a panel may show these and no other vLLM metric. */
    private static final Set<String> VLLM = Set.of(EngineLoadMonitor.REQUESTS_WAITING, EngineLoadMonitor.REQUESTS_RUNNING,
            EngineLoadMonitor.KV_CACHE_USAGE, EngineLoadMonitor.GPU_CACHE_USAGE);
    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private static PrometheusPage routerMetrics;

    @BeforeAll
    static void sendTraffic() throws Exception {
        // given: routed, fallen back, cached and streamed requests, so that the router has created every series
        StubbedRouter.resetStubs();
        OPENAI.replyText("Fine.");
        String unique = " (" + UUID.randomUUID() + ")";
        post("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"Write a Python function that reverses a linked list." + unique + "\"}]}");
        post("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"If all bloops are razzies and all razzies are lazzies, "
                + "are all bloops definitely lazzies? Explain the logic step by step." + unique + "\"}]}");
        String deterministic = "{\"model\":\"coder\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"Capital of France?" + unique + "\"}]}";
        post(deterministic);
        post(deterministic);
        post("{\"model\":\"coder\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Say hi." + unique + "\"}]}");
        routerMetrics = new PrometheusPage(http.send(HttpRequest.newBuilder(URI.create(ROUTER.baseUrl() + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void should_query_only_metrics_the_router_exposes_when_grafana_draws_the_dashboards() {
        // given
        Set<String> exposed = routerMetrics.metricNames();
        List<String> unknown = new ArrayList<>();
        Set<String> queried = new TreeSet<>();

        // when
        for (Query q : queries()) {
            for (String metric : PromQl.metricNames(q.expr())) {
                queried.add(metric);
                if (!exposed.contains(metric) && !VLLM.contains(metric) && !MADE_BY_PROMETHEUS.contains(metric)) {
                    unknown.add(q.panel() + ": " + metric);
                }
            }
        }

        // then
        assertThat(unknown).as("metrics queried that nothing exposes").isEmpty();
        assertThat(queried).as("the dashboards show the router's own metrics").contains("coe_router_requests_total",
                "coe_expert_latency_seconds_bucket", "resilience4j_circuitbreaker_state", "cache_gets_total");
    }

    @Test
    void should_select_label_values_the_router_exposes_when_a_query_matches_one_value() {
        // given
        Set<String> jobs = new TreeSet<>();
        DeploymentFiles.yaml("deploy/prometheus/prometheus.yml").path("scrape_configs").forEach(j -> jobs.add(j.path("job_name").asString()));
        List<String> unmatched = new ArrayList<>();

        // when
        for (Query q : queries()) {
            for (PromQl.ExactMatcher m : PromQl.exactMatchers(q.expr())) {
                // job and instance are the labels Prometheus gives each target, not the router's
                boolean found = switch (m.label()) {
                    case "job" -> jobs.contains(m.value());
                    case "instance" -> true;
                    default -> VLLM.contains(m.metric()) || routerMetrics.hasSeries(m.metric(), m.label(), m.value());
                };
                if (!found) {
                    unmatched.add(q.panel() + ": " + m);
                }
            }
        }

        // then
        assertThat(unmatched).as("label values no series has").isEmpty();
    }

    @Test
    void should_use_the_provisioned_prometheus_when_a_panel_names_a_data_source() {
        // given
        JsonNode datasource = DeploymentFiles.yaml("deploy/grafana/provisioning/datasources/prometheus.yml").path("datasources").get(0);
        URI url = URI.create(datasource.path("url").asString());
        ComposeFile compose = ComposeFile.read();

        // then: the data source is the compose service on the port Prometheus listens on
        assertThat(compose.serviceNames()).contains(url.getHost());
        assertThat(compose.strings(url.getHost(), "ports")).anySatisfy(p -> assertThat(p).endsWith(":" + url.getPort()));
        // and every panel and query that names a data source names this one
        for (JsonNode dashboard : dashboards()) {
            dashboard.findValues("datasource").forEach(ds -> assertThat(ds.path("uid").asString())
                    .as(dashboard.path("title").asString()).isEqualTo(datasource.path("uid").asString()));
        }
    }

    @Test
    void should_load_the_dashboards_from_where_compose_mounts_them_when_grafana_starts() {
        // given
        JsonNode provider = DeploymentFiles.yaml("deploy/grafana/provisioning/dashboards/coe-router.yml").path("providers").get(0);
        ComposeFile compose = ComposeFile.read();

        // then
        assertThat(compose.mountTarget("grafana", "./" + DASHBOARDS)).isEqualTo(provider.path("options").path("path").asString());
        assertThat(compose.mountTarget("grafana", "./deploy/grafana/provisioning")).isEqualTo("/etc/grafana/provisioning");
        assertThat(dashboards()).isNotEmpty().allSatisfy(d -> assertThat(d.path("uid").asString()).isNotBlank());
    }

    private record Query(String panel, String expr) {
    }

    private static List<Query> queries() {
        List<Query> queries = new ArrayList<>();
        for (JsonNode dashboard : dashboards()) {
            for (JsonNode panel : dashboard.findParents("targets")) {
                for (JsonNode target : panel.path("targets")) {
                    queries.add(new Query(panel.path("title").asString(), target.path("expr").asString()));
                }
            }
        }
        assertThat(queries).as("queries in " + DASHBOARDS).isNotEmpty();
        return queries;
    }

    private static List<JsonNode> dashboards() {
        try (Stream<Path> files = Files.list(DeploymentFiles.path(DASHBOARDS))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted()
                    .map(f -> DeploymentFiles.json(DeploymentFiles.REPO.relativize(f).toString())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void post(String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(ROUTER.baseUrl() + "/v1/chat/completions"))
                .header("content-type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
}
