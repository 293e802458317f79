package dev.coe.it;

import dev.coe.gateway.load.LoadLimits;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.coe.it.StubbedRouter.ROUTER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docker-compose.yml}, {@code deploy/nginx} and {@code deploy/prometheus} against the router they deploy,
 * without Docker: the router's environment holds only variables the router reads, its URLs name compose services,
 * its replicas share one port through the load balancer, and Prometheus scrapes each replica (and vLLM) where they
 * really serve their metrics. Paths and ports that the router serves are asked of a real router.
 */
class DeploymentConfigIT {

    private static final String ROUTER_SERVICE = "router";
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final ComposeFile compose = ComposeFile.read();
    private final Dockerfile dockerfile = Dockerfile.read("router-service/Dockerfile");

    @Test
    void should_set_only_variables_the_router_reads_when_configuring_the_router_service() {
        // given
        RouterEnvironmentVariables reads = RouterEnvironmentVariables.discover();

        // when
        List<String> unread = new ArrayList<>();
        compose.environment(ROUTER_SERVICE).keySet().stream().filter(n -> !reads.reads(n)).forEach(unread::add);
        dockerfile.runtime().env().keySet().stream().filter(n -> !reads.reads(n)).forEach(unread::add);

        // then
        assertThat(unread).as("variables set for the router that it never reads (placeholders: " + reads.placeholders() + ")").isEmpty();
    }

    @Test
    void should_activate_only_profiles_the_router_has_when_starting_with_the_default_environment() {
        // given
        String profiles = ComposeFile.withDefaults(compose.environment(ROUTER_SERVICE).get("SPRING_PROFILES_ACTIVE"));

        // then: each profile has its application-<profile>.yaml, and the replicas share PostgreSQL
        assertThat(profiles.split(",")).contains("postgres").allSatisfy(profile -> assertThat(
                DeploymentFiles.path("router-service/src/main/resources/application-" + profile.strip() + ".yaml")).isRegularFile());
    }

    @Test
    void should_point_the_router_at_compose_services_when_it_resolves_its_urls() {
        // given
        Map<String, String> env = compose.environment(ROUTER_SERVICE);
        Set<String> services = compose.serviceNames();

        // then: every URL the router gets names a service of this file
        Pattern url = Pattern.compile("[a-z]+://([a-zA-Z0-9_.-]+)(?::(\\d+))?");
        env.forEach((name, value) -> {
            Matcher m = url.matcher(value == null ? "" : ComposeFile.withDefaults(value));
            if (m.find()) {
                assertThat(services).as(name + "=" + value).contains(m.group(1));
            }
        });
        // and the database settings are the ones the postgres service is created with
        Map<String, String> postgres = compose.environment("postgres");
        assertThat(env.get("COE_DB_URL")).endsWith("/" + postgres.get("POSTGRES_DB")).contains("//postgres:5432/");
        assertThat(env.get("COE_DB_USERNAME")).isEqualTo(postgres.get("POSTGRES_USER"));
        assertThat(env.get("COE_DB_PASSWORD")).isEqualTo(postgres.get("POSTGRES_PASSWORD"));
        // and vLLM serves the model the router asks it for, under the same variable and default
        List<String> vllm = compose.strings("vllm", "command");
        assertThat(vllm.get(vllm.indexOf("--model") + 1)).isEqualTo(env.get("COE_LOCAL_MOE_MODEL"));
        // and Ollama pulls the model of the Ollama expert in config/experts.yaml
        JsonNode ollamaExpert = expert("ollama");
        assertThat(compose.strings("ollama-pull", "entrypoint")).contains(ollamaExpert.path("model").asString());
    }

    @Test
    void should_publish_one_port_for_every_replica_when_the_router_is_scaled() {
        // given
        int routerPort = Integer.parseInt(dockerfile.runtime().env().get("PORT"));
        String nginx = DeploymentFiles.text("deploy/nginx/nginx.conf");

        // then: replicas publish no host port (--scale would collide on it); the load balancer does
        assertThat(compose.service(ROUTER_SERVICE).has("ports")).as("router publishes host ports").isFalse();
        assertThat(compose.strings(ROUTER_SERVICE, "expose")).containsExactly(Integer.toString(routerPort));
        String published = ComposeFile.withDefaults(compose.strings("lb", "ports").getFirst());
        assertThat(nginx).contains("listen " + published.substring(published.lastIndexOf(':') + 1) + ";");
        assertThat(compose.mountTarget("lb", "./deploy/nginx/nginx.conf")).isEqualTo("/etc/nginx/nginx.conf");
        // and nginx balances over the service's replicas on their port, re-resolving them through Docker's DNS
        assertThat(nginx).containsPattern("server\\s+" + ROUTER_SERVICE + ":" + routerPort + "\\s+resolve;")
                .containsPattern("resolver\\s+127\\.0\\.0\\.11");
        // and the real router listens on that port in the image (server.port reads PORT)
        assertThat(DeploymentFiles.text("router-service/src/main/resources/application.yaml")).contains("port: ${PORT:");
    }

    @Test
    void should_scrape_each_replica_where_the_real_router_serves_its_metrics_when_prometheus_finds_them_by_dns() throws Exception {
        // given
        JsonNode job = scrapeJob("coe-router");
        int routerPort = Integer.parseInt(dockerfile.runtime().env().get("PORT"));

        // then: one target per replica, found by the service's name in Docker's DNS, on the router's port
        JsonNode sd = job.path("dns_sd_configs").get(0);
        assertThat(sd.path("names").get(0).asString()).isEqualTo(ROUTER_SERVICE);
        assertThat(sd.path("type").asString()).isEqualTo("A");
        assertThat(sd.path("port").asInt()).isEqualTo(routerPort);
        // and the metrics path answers the Prometheus text format, without credentials, on a real router
        HttpResponse<String> page = get(ROUTER.baseUrl() + job.path("metrics_path").asString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("# TYPE ");
        // and the config Prometheus loads is this file
        assertThat(compose.mountTarget("prometheus", "./deploy/prometheus/prometheus.yml"))
                .isEqualTo(option(compose.strings("prometheus", "command"), "--config.file"));
    }

    @Test
    void should_scrape_vllm_where_the_router_reads_its_load_when_the_gpu_profile_runs() {
        // given
        JsonNode job = scrapeJob("vllm");
        JsonNode sd = job.path("dns_sd_configs").get(0);
        URI scraped = URI.create("http://" + sd.path("names").get(0).asString() + ":" + sd.path("port").asInt()
                + job.path("metrics_path").asString());

        // when: the URL the router's own load monitor derives from the base URL compose gives the local MoE
        URI routerReads = LoadLimits.metricsUrlFor(URI.create(compose.environment(ROUTER_SERVICE).get("COE_LOCAL_MOE_URL")));

        // then
        assertThat(scraped).isEqualTo(routerReads);
        assertThat(compose.strings("vllm", "profiles")).containsExactly("gpu");
        assertThat(compose.service("vllm").path("deploy").path("resources").path("reservations").path("devices").get(0)
                .path("capabilities").get(0).asString()).isEqualTo("gpu");
    }

    @Test
    void should_answer_200_on_the_health_endpoints_the_deployment_uses_when_the_router_is_up() throws Exception {
        // the image's health check and the probes a platform would use
        for (String path : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")) {
            assertThat(get(ROUTER.baseUrl() + path).statusCode()).as(path).isEqualTo(200);
        }
    }

    @Test
    void should_list_every_variable_in_env_example_and_commit_no_secret_when_compose_needs_one() throws Exception {
        // given
        Properties example = new Properties();
        try (var in = Files.newBufferedReader(DeploymentFiles.path(".env.example"))) {
            example.load(in);
        }

        // then: every variable compose reads is documented; those it requires (no default) are left empty there
        compose.variables().forEach((name, hasDefault) -> {
            assertThat(example).as(".env.example lists " + name).containsKey(name);
            if (!hasDefault) {
                assertThat(example.getProperty(name)).as(name + " in .env.example").isEmpty();
            }
        });
        assertThat(Files.readString(DeploymentFiles.path(".gitignore"))).containsPattern("(?m)^/?\\.env$");
    }

    private JsonNode scrapeJob(String name) {
        for (JsonNode job : DeploymentFiles.yaml("deploy/prometheus/prometheus.yml").path("scrape_configs")) {
            if (job.path("job_name").asString().equals(name)) {
                return job;
            }
        }
        throw new AssertionError("deploy/prometheus/prometheus.yml has no job " + name);
    }

    private static JsonNode expert(String provider) {
        for (JsonNode expert : DeploymentFiles.yaml("config/experts.yaml").path("experts")) {
            if (expert.path("provider").asString().equals(provider)) {
                return expert;
            }
        }
        throw new AssertionError("config/experts.yaml has no " + provider + " expert");
    }

    private static String option(List<String> command, String name) {
        return command.stream().filter(w -> w.startsWith(name + "=")).map(w -> w.substring(name.length() + 1)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + command));
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
