import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The container's health check: exits 0 when the URL (first argument, default the router's liveness probe on
 * port 8080) answers 2xx within two seconds, 1 otherwise. It exists because the JRE base image promises neither curl
 * nor wget; it needs nothing beyond java.net.http. Compiled in the image's build stage (router-service/Dockerfile)
 * and run there with a small heap; DeploymentConfigIT runs this same file against a real router.
 */
public final class HealthCheck {

    static final String DEFAULT_URL = "http://127.0.0.1:8080/actuator/health/liveness";
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private HealthCheck() {
    }

    public static void main(String[] args) {
        String url = args.length > 0 ? args[0] : DEFAULT_URL;
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 == 2) {
                System.exit(0);
            }
            System.err.println("unhealthy: " + url + " answered " + response.statusCode());
        } catch (Exception e) {
            System.err.println("unhealthy: " + url + " " + e);
        }
        System.exit(1);
    }
}
