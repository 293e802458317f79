package dev.coe.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link BenchClient} over blocking sockets: HTTP/1.1 with keep-alive, each worker reading its own connection on its own
 * platform thread, so that the kernel wakes the reader directly when the answer arrives. That is how the synchronous
 * OpenAI SDKs read (Python's over httpx, Java's over OkHttp), and it takes the client's own thread hand-offs out of
 * what is measured (see {@link BenchClient}).
 * <p>
 * Idle connections are pooled per host and port, most recently used first, and reused only when the previous answer
 * was read to its end and the server did not say {@code Connection: close}. A reused connection that the server had
 * closed while it sat idle (no byte of an answer came back) is replaced once by a fresh one, as OkHttp does. Bodies
 * with {@code Content-Length} and {@code Transfer-Encoding: chunked} are understood; that is all a chat endpoint sends.
 */
final class SocketBenchClient implements BenchClient {

    private final Map<String, Deque<Connection>> idle = new ConcurrentHashMap<>();
    private final AtomicInteger opened = new AtomicInteger();

    @Override
    public Reply send(URI url, byte[] json, boolean streaming) throws IOException {
        String authority = url.getHost() + ":" + url.getPort();
        byte[] request = request(url, authority, json, streaming);
        Deque<Connection> pool = idle.computeIfAbsent(authority, a -> new ConcurrentLinkedDeque<>());
        Connection reused = pool.pollFirst();
        if (reused != null) {
            try {
                return reused.exchange(request, pool, true);
            } catch (StaleConnectionException e) {
                reused.close();  // closed by the server while idle; the request never reached it
            } catch (IOException e) {
                reused.close();
                throw e;
            }
        }
        Connection fresh = new Connection(new Socket(url.getHost(), url.getPort()));
        opened.incrementAndGet();
        try {
            return fresh.exchange(request, pool, false);
        } catch (IOException e) {
            fresh.close();  // a failed exchange leaves the connection in an unknown state
            throw e;
        }
    }

    /** How many connections this client has opened so far. */
    int connectionsOpened() {
        return opened.get();
    }

    @Override
    public ThreadFactory workers() {
        return Thread.ofPlatform().daemon().name("bench-worker-", 0).factory();
    }

    @Override
    public void close() {
        // Connections still in use belong to workers, which have finished by the time the client is closed.
        idle.values().forEach(pool -> pool.forEach(Connection::close));
        idle.clear();
    }

    private static byte[] request(URI url, String authority, byte[] json, boolean streaming) {
        String path = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        String head = "POST " + path + " HTTP/1.1\r\n"
                + "Host: " + authority + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Accept: " + (streaming ? "text/event-stream" : "application/json") + "\r\n"
                + "Content-Length: " + json.length + "\r\n\r\n";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(head.length() + json.length);
        bytes.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        bytes.writeBytes(json);
        return bytes.toByteArray();  // one write, so that the request leaves in one segment
    }

    /** A reused connection failed before any byte of an answer arrived. */
    private static final class StaleConnectionException extends IOException {
        StaleConnectionException(Throwable cause) {
            super("the server had closed the idle connection", cause);
        }
    }

    /** One keep-alive connection; used by one worker at a time. */
    private static final class Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) LoadGenerator.REQUEST_TIMEOUT.toMillis());
            this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            this.out = socket.getOutputStream();
        }

        /** @param reused whether the connection carried an answer before: then a failure before any answer is a stale one */
        Reply exchange(byte[] request, Deque<Connection> pool, boolean reused) throws IOException {
            String statusLine;
            try {
                out.write(request);
                out.flush();
                statusLine = readLine(in);
            } catch (SocketTimeoutException e) {
                throw e;  // the server took the request and did not answer in time: not a stale connection
            } catch (IOException e) {
                throw reused ? new StaleConnectionException(e) : e;
            }
            int status = parseStatus(statusLine);
            Map<String, String> headers = new HashMap<>();
            for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.putIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                }
            }
            boolean keepAlive = !"close".equalsIgnoreCase(headers.get("connection"));
            Body body;
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = new ChunkedBody(in);
            } else if (headers.containsKey("content-length")) {
                body = new FixedBody(in, Long.parseLong(headers.get("content-length")));
            } else {
                body = new FixedBody(in, Long.MAX_VALUE);  // until the server closes the connection
                keepAlive = false;
            }
            return new SocketReply(this, pool, status, headers, body, keepAlive);
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing: nothing left to do with it
            }
        }

        private static int parseStatus(String statusLine) throws IOException {
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP/1.x status line: '" + statusLine + "'");
            }
            try {
                return Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IOException("not an HTTP/1.x status line: '" + statusLine + "'", e);
            }
        }
    }

    private record SocketReply(Connection connection, Deque<Connection> pool, int status, Map<String, String> headers,
                               Body body, boolean keepAlive) implements Reply {
        @Override
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }

        /** Back to the pool when the answer was read to its end and the server keeps the connection; closed otherwise. */
        @Override
        public void close() {
            if (keepAlive && body.finished()) {
                pool.offerFirst(connection);
            } else {
                connection.close();
            }
        }
    }

    /** A response body that knows when it has been read to its end, so that its connection can carry the next one. */
    private abstract static sealed class Body extends InputStream permits FixedBody, ChunkedBody {
        abstract boolean finished();

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }
    }

    private static final class FixedBody extends Body {
        private final InputStream in;
        private long left;

        FixedBody(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                if (left != Long.MAX_VALUE) {
                    throw new EOFException("the connection closed " + left + " bytes before the end of the body");
                }
                left = 0;  // a body delimited by the connection's close has ended
                return -1;
            }
            if (left != Long.MAX_VALUE) {
                left -= n;
            }
            return n;
        }

        @Override
        boolean finished() {
            return left == 0;
        }
    }

    /** {@code Transfer-Encoding: chunked}, RFC 9112 section 7.1: size lines in hex, data, a last chunk of 0, trailers. */
    private static final class ChunkedBody extends Body {
        private final InputStream in;
        private long leftInChunk;
        private boolean done;

        ChunkedBody(InputStream in) {
            this.in = in;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (leftInChunk == 0) {
                String sizeLine = readLine(in);
                int extension = sizeLine.indexOf(';');
                leftInChunk = Long.parseLong((extension < 0 ? sizeLine : sizeLine.substring(0, extension)).trim(), 16);
                if (leftInChunk == 0) {
                    while (!readLine(in).isEmpty()) {
                        // trailer fields: none that the benchmark needs
                    }
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, leftInChunk));
            if (n < 0) {
                throw new EOFException("the connection closed inside a chunk");
            }
            leftInChunk -= n;
            if (leftInChunk == 0 && !readLine(in).isEmpty()) {
                throw new IOException("a chunk's data was not followed by CRLF");
            }
            return n;
        }

        @Override
        boolean finished() {
            return done;
        }
    }

    /** A line ending in CRLF (or LF), without it; header and chunk-size lines are ASCII. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException(line.isEmpty() ? "the connection closed before a response" : "the connection closed inside a line");
            }
            line.append((char) c);
        }
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
    }
}
