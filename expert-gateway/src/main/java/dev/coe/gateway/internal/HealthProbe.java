package dev.coe.gateway.internal;

import dev.coe.gateway.ExpertHealth;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;

/**
 * Checks that an expert's server answers: one {@code GET} to a cheap endpoint (the model list, the version), with
 * an overall timeout of the expert's connect timeout or {@link #DEFAULT_TIMEOUT}, whichever is shorter. Never throws; every failure becomes
 * {@link ExpertHealth#down(String)} with a reason such as {@code "connection refused at http://localhost:8000/v1"}.
 * The reason never contains the headers, which may hold an API key. Immutable and thread-safe.
 */
public final class HealthProbe {

    /** The longest a health check waits for the answer, connecting included. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    private final URI url;
    private final URI shownUrl;
    private final Map<String, String> headers;
    private final Duration timeout;
    private final HttpClient client;

    /**
     * @param url      the endpoint to GET
     * @param shownUrl the URL named in reasons (usually the expert's base URL)
     * @param headers  request headers, e.g. the API key header; never shown
     * @param connectTimeout how long to wait for the connection
     */
    public HealthProbe(URI url, URI shownUrl, Map<String, String> headers, Duration connectTimeout) {
        this.url = url;
        this.shownUrl = shownUrl;
        this.headers = Map.copyOf(headers);
        // Expert.checkHealth promises to block no longer than the connect timeout; 2 s keeps checks cheap.
        this.timeout = connectTimeout.compareTo(DEFAULT_TIMEOUT) < 0 ? connectTimeout : DEFAULT_TIMEOUT;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** Resolves {@code path} against {@code baseUrl}, keeping the base URL's own path ({@code /v1} + {@code /models}). */
    public static URI resolve(URI baseUrl, String path) {
        String base = baseUrl.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }

    public ExpertHealth check() {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout).GET();
        headers.forEach(request::header);
        try {
            HttpResponse<Void> response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            return status >= 200 && status < 300
                    ? ExpertHealth.up("HTTP " + status + " from " + url)
                    : ExpertHealth.down("HTTP " + status + " from " + url);
        } catch (HttpConnectTimeoutException e) {
            return ExpertHealth.down("connect timed out at " + shownUrl);
        } catch (ConnectException e) {
            return ExpertHealth.down("connection refused at " + shownUrl);
        } catch (HttpTimeoutException e) {
            return ExpertHealth.down("no answer within " + timeout.toMillis() + " ms from " + shownUrl);
        } catch (IOException e) {
            return ExpertHealth.down(e.getClass().getSimpleName() + " at " + shownUrl);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExpertHealth.down("health check interrupted");
        } catch (RuntimeException e) {
            return ExpertHealth.down(e.getClass().getSimpleName() + " at " + shownUrl);
        }
    }
}
