package dev.coe.it;

import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Smoke test of {@code docker-compose.yml} where Docker (with the compose plugin) is available; skipped without it,
 * as on CI. Builds the router's image and starts the CPU part of the stack: the load balancer, two router replicas,
 * PostgreSQL and Redis. The routers run with the {@code demo} profile, so their experts are SIMULATED: this checks
 * the deployment (image, health check, database, balancing), not any model's answer.
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeSmokeIT {

    private static final int LB_PORT = 8080;
    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Container
    static final ComposeContainer STACK = new ComposeContainer(DeploymentFiles.path(ComposeFile.PATH).toFile())
            .withServices("lb", "router", "postgres", "redis")
            .withEnv(Map.of(
                    "SPRING_PROFILES_ACTIVE", "postgres,demo",
                    "COE_ROUTER_REPLICAS", "2",
                    // test-only values for the secrets compose requires; the stack is thrown away afterwards
                    "POSTGRES_PASSWORD", "smoke-test-postgres",
                    "COE_ADMIN_PASSWORD", "smoke-test-admin",
                    "GRAFANA_ADMIN_PASSWORD", "smoke-test-grafana",
                    // a free host port, so that a developer's own router on 8080 does not collide
                    "COE_PORT", "0"))
            .withBuild(true)
            .withRemoveVolumes(true)
            .withExposedService("lb-1", LB_PORT, Wait.forHttp("/actuator/health/liveness").forStatusCode(200)
                    .withStartupTimeout(Duration.ofMinutes(15)));

    @Test
    void should_be_healthy_behind_the_load_balancer_when_the_stack_is_up() throws Exception {
        // when
        HttpResponse<String> health = send(HttpRequest.newBuilder(url("/actuator/health")));

        // then
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
        assertThat(STACK.getContainerByServiceName("router-2")).as("second replica").isPresent();
    }

    @Test
    void should_answer_a_chat_completion_through_the_load_balancer_when_experts_are_simulated() throws Exception {
        // given
        String body = "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"Write a haiku about containers.\"}]}";

        // when
        HttpResponse<String> response = send(HttpRequest.newBuilder(url("/v1/chat/completions"))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));

        // then
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-coe-simulated")).contains("true");
        assertThat(response.body()).contains("\"choices\"").contains("[simulated ");
    }

    private static URI url(String path) {
        return URI.create("http://" + STACK.getServiceHost("lb-1", LB_PORT) + ":" + STACK.getServicePort("lb-1", LB_PORT) + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
