package dev.coe.it;

import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import static dev.coe.it.StubbedRouter.ROUTER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keep-alive as an SDK client's connection pool sees it: one connection carries request after request. Tomcat's default
 * closes a connection after 100 requests, so a busy client would pay a new connection every hundred answers.
 */
class ConnectionReuseIT {

    @Test
    void should_keep_one_connection_open_when_a_client_sends_more_than_a_hundred_requests_on_it() throws Exception {
        URI base = URI.create(ROUTER.baseUrl());
        byte[] request = ("GET /v1/models HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort() + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            for (int i = 1; i <= 150; i++) {
                // when
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
                String head = readHead(in);
                in.readNBytes(contentLength(head));

                // then: every answer is whole, and none announces that the connection closes after it
                assertThat(head).as("answer %d", i).startsWith("HTTP/1.1 200");
                assertThat(head.toLowerCase(Locale.ROOT)).as("answer %d", i).doesNotContain("connection: close");
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("the router closed the connection after: " + head);
            }
            head.append((char) c);
        }
        return head.toString();
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        throw new AssertionError("no Content-Length in: " + head);
    }
}
