package dev.coe.bench;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The blocking-socket client against a server whose every byte the test chooses. */
class SocketBenchClientTest {

    private static final byte[] JSON = "{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8);
    private static final String ONE_PIECE = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Coe-Cache: hit\r\n"
            + "Content-Length: 11\r\n\r\n{\"id\":\"a1\"}";
    private static final String CHUNKED = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "12;name=value\r\ndata: {\"x\":\"Hi\"}\n\n\r\n"
            + "e\r\ndata: [DONE]\n\n\r\n"
            + "0\r\nX-Trailer: t\r\n\r\n";

    private final SocketBenchClient client = new SocketBenchClient();
    private ServerSocket server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();

    @AfterEach
    void stop() throws IOException {
        client.close();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void should_read_status_headers_and_body_and_keep_the_connection_when_the_answer_has_a_length() throws Exception {
        URI url = serve(ONE_PIECE, false);

        for (int i = 0; i < 3; i++) {
            try (BenchClient.Reply reply = client.send(url, JSON, false)) {
                assertThat(reply.status()).isEqualTo(200);
                assertThat(reply.header("x-coe-cache")).contains("hit");
                assertThat(reply.header("X-COE-CACHE")).contains("hit");
                assertThat(new String(reply.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"a1\"}");
            }
        }

        assertThat(connections).hasValue(1);
        assertThat(client.connectionsOpened()).isEqualTo(1);
        assertThat(requests).hasSize(3).allSatisfy(request -> assertThat(request)
                .startsWith("POST /v1/chat/completions HTTP/1.1\r\n")
                .contains("Content-Length: " + JSON.length + "\r\n")
                .endsWith("\r\n\r\n{\"model\":\"m\"}"));
    }

    @Test
    void should_decode_chunks_with_extensions_and_trailers_and_keep_the_connection_when_a_stream_is_read_to_its_end() throws Exception {
        URI url = serve(CHUNKED, false);

        for (int i = 0; i < 2; i++) {
            try (BenchClient.Reply reply = client.send(url, JSON, true)) {
                assertThat(new String(reply.body().readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("data: {\"x\":\"Hi\"}\n\ndata: [DONE]\n\n");
            }
        }

        assertThat(connections).hasValue(1);
        assertThat(requests.getFirst()).contains("Accept: text/event-stream\r\n");
    }

    @Test
    void should_open_a_new_connection_when_the_server_says_connection_close() throws Exception {
        URI url = serve(ONE_PIECE.replace("X-Coe-Cache: hit\r\n", "Connection: close\r\n"), true);

        for (int i = 0; i < 3; i++) {
            try (BenchClient.Reply reply = client.send(url, JSON, false)) {
                reply.body().readAllBytes();
            }
        }

        assertThat(connections).hasValue(3);
        assertThat(requests).hasSize(3);
    }

    @Test
    void should_not_reuse_the_connection_when_the_body_was_left_unread() throws Exception {
        URI url = serve(CHUNKED, false);

        try (BenchClient.Reply reply = client.send(url, JSON, true)) {
            assertThat(reply.body().read()).isEqualTo('d');
        }
        try (BenchClient.Reply reply = client.send(url, JSON, true)) {
            reply.body().readAllBytes();
        }

        // the rest of the first stream would have been read as the second answer's status line
        assertThat(client.connectionsOpened()).isEqualTo(2);
    }

    @Test
    void should_send_again_on_a_fresh_connection_when_the_server_closed_the_idle_one_without_notice() throws Exception {
        // A server that answers one request per connection and then closes it, without saying so.
        URI url = serve(ONE_PIECE, true);

        for (int i = 0; i < 3; i++) {
            try (BenchClient.Reply reply = client.send(url, JSON, false)) {
                assertThat(reply.status()).isEqualTo(200);
                reply.body().readAllBytes();
            }
        }

        // each request reached the server once: a stale connection is replaced, not counted as an answer or a failure
        assertThat(requests).hasSize(3);
        assertThat(connections).hasValue(3);
    }

    @Test
    void should_fail_with_the_reason_when_the_connection_closes_inside_the_body() throws Exception {
        URI url = serve(ONE_PIECE.replace("Content-Length: 11", "Content-Length: 50"), true);

        try (BenchClient.Reply reply = client.send(url, JSON, false)) {
            assertThatThrownBy(() -> reply.body().readAllBytes()).hasMessageContaining("bytes before the end of the body");
        }
    }

    /**
     * Starts a server that answers every request with {@code response}.
     *
     * @param closeAfterEach close the connection after each answer
     */
    private URI serve(String response, boolean closeAfterEach) throws IOException {
        server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    connections.incrementAndGet();
                    Thread.ofVirtual().start(() -> answer(socket, response.getBytes(StandardCharsets.UTF_8), closeAfterEach));
                } catch (IOException e) {
                    return;  // closed
                }
            }
        });
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1/chat/completions");
    }

    private void answer(Socket socket, byte[] response, boolean closeAfterEach) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                int length = Integer.parseInt(head.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
                requests.add(head + new String(in.readNBytes(length), StandardCharsets.UTF_8));
                out.write(response);
                out.flush();
                if (closeAfterEach) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    /** The request line and headers, through the blank line; null when the client closed the connection. */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            head.append((char) c);
        }
        return head.toString();
    }
}
