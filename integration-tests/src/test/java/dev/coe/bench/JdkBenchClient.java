package dev.coe.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;

/**
 * {@link BenchClient} over the JDK's {@code java.net.http} client, shared by all workers as an application shares one
 * OpenAI client: its pool gives each concurrent request its own keep-alive connection, and one selector thread serves
 * them all rather than sixty-four competing for the two cores. A one-piece answer is read whole by the client before
 * {@link #send} returns; a stream is handed over as it arrives.
 */
final class JdkBenchClient implements BenchClient {

    private final HttpClient client;

    JdkBenchClient(HttpClient client) {
        this.client = client;
    }

    @Override
    public Reply send(URI url, byte[] json, boolean streaming) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(LoadGenerator.REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json))
                .build();
        if (streaming) {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            return new JdkReply(response, response.body());
        }
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return new JdkReply(response, new ByteArrayInputStream(response.body()));
    }

    @Override
    public ThreadFactory workers() {
        return Thread.ofVirtual().name("bench-worker-", 0).factory();
    }

    @Override
    public void close() {
        client.close();
    }

    private record JdkReply(HttpResponse<?> response, InputStream body) implements Reply {
        @Override
        public int status() {
            return response.statusCode();
        }

        @Override
        public Optional<String> header(String name) {
            return response.headers().firstValue(name);
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }
}
