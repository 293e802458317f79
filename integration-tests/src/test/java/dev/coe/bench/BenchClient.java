package dev.coe.bench;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;

/**
 * How the load generator sends one chat request and reads its answer. Two kinds, because a client's own hand-offs are
 * part of every latency it measures, the router's and the direct path's alike:
 * <ul>
 *   <li>{@link #jdk}: the JDK's {@code java.net.http} client on virtual threads. One selector thread reads every
 *       connection and hands each response to a pool thread, which wakes the waiting worker: three thread wake-ups
 *       per answer on the client's side.</li>
 *   <li>{@link SocketBenchClient}: blocking sockets, one platform thread per worker reading its own keep-alive connection, as the
 *       synchronous OpenAI SDKs do (Python's over httpx, Java's over OkHttp): the kernel wakes the reader directly.</li>
 * </ul>
 * Implementations are thread-safe.
 */
interface BenchClient extends AutoCloseable {

    /** The command-line names of the two kinds. */
    enum Kind {
        JDK("jdk", "the JDK's java.net.http client (HTTP/1.1, one client shared by workers on virtual threads)"),
        SOCKET("socket", "blocking sockets (HTTP/1.1 keep-alive, a connection and a platform thread per worker, as the"
                + " synchronous SDKs read)");

        final String label;
        /** How the report names it. */
        final String description;

        Kind(String label, String description) {
            this.label = label;
            this.description = description;
        }

        static Kind of(String label) {
            return Arrays.stream(values()).filter(k -> k.label.equals(label.trim())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--client takes jdk or socket, but had '" + label + "'"));
        }
    }

    /**
     * Sends {@code json} as a {@code POST} to {@code url} and returns once the response headers are in (the whole body
     * too, for a one-piece answer from the JDK client). The caller reads the body and closes the reply.
     *
     * @param streaming whether the answer is read as server-sent events
     */
    Reply send(URI url, byte[] json, boolean streaming) throws IOException, InterruptedException;

    /** Makes the threads the workers run on: the kind of thread this client is meant to be called from. */
    ThreadFactory workers();

    @Override
    void close();

    /** A response: status and headers at once, the body as it arrives. Closing it ends the exchange. */
    interface Reply extends Closeable {
        int status();

        /** The first value of a header, whatever the case of its name. */
        Optional<String> header(String name);

        InputStream body();

        @Override
        void close() throws IOException;
    }

    static BenchClient jdk(HttpClient client) {
        return new JdkBenchClient(client);
    }

    static BenchClient of(Kind kind) {
        return kind == Kind.SOCKET ? new SocketBenchClient() : jdk(LoadGenerator.newClient());
    }
}
