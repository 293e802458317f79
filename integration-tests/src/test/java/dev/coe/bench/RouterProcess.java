package dev.coe.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The router, run from its executable jar as a JVM of its own, so that its heap, GC pauses and JIT are
 * separate from the load generator's, as they are in production. Listens on 127.0.0.1 only. Not thread-safe;
 * {@link #close()} stops the process.
 */
final class RouterProcess implements AutoCloseable {

    /** Longest the router may take to start, classifier included, on a busy two-core machine. */
    static final Duration DEFAULT_START_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final int port;
    private final Path log;

    private RouterProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts the router and waits until it answers {@code GET /v1/models}.
     *
     * @param log file that receives the router's stdout and stderr
     * @throws IllegalStateException when the jar is missing, or the router exits or is not ready within {@code startTimeout}
     */
    static RouterProcess start(Path jar, Path configDir, List<String> jvmArgs, Path log, Duration startTimeout)
            throws IOException, InterruptedException {
        return start(jar, configDir, jvmArgs, "", log, startTimeout);
    }

    /**
     * Like {@link #start(Path, Path, List, Path, Duration)}, with the router pinned to {@code cpus} (a {@code taskset -c}
     * list; empty for no pinning). {@code taskset} replaces itself with the JVM, so {@link #pid()} and {@link #cpuTime()}
     * are still the router's.
     */
    static RouterProcess start(Path jar, Path configDir, List<String> jvmArgs, String cpus, Path log, Duration startTimeout)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("router jar " + jar + " does not exist; build it with: ./mvnw -o -pl integration-tests -am install -DskipTests");
        }
        requireRunnable(jar);
        int port = freeLoopbackPort();
        List<String> command = new ArrayList<>();
        if (!cpus.isEmpty()) {
            command.addAll(List.of("taskset", "-c", cpus));
        }
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar.toString(),
                "--server.address=127.0.0.1",
                "--server.port=" + port,
                "--coe.config-dir=" + configDir,
                // A fresh store of routing versions, seeded from configDir: never those of another run or of a developer's router.
                "--coe.data-dir=" + Files.createTempDirectory("coe-bench-data"),
                // One probe at start-up is enough; periodic probes would add requests the benchmark does not count.
                "--coe.health-check-interval=1h"));
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        RouterProcess router = new RouterProcess(process, port, log);
        try {
            router.awaitReady(startTimeout);
        } catch (RuntimeException | InterruptedException e) {
            router.close();
            throw e;
        }
        return router;
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port);
    }

    long pid() {
        return process.pid();
    }

    /**
     * CPU time the router process has used so far (user and system, all threads), as the operating system counts it
     * (on Linux in 10 ms ticks); empty where the platform does not report it.
     */
    java.util.Optional<Duration> cpuTime() {
        return process.toHandle().info().totalCpuDuration();
    }

    /**
     * @throws IllegalStateException with the end of the router's log when the router has exited
     */
    void requireRunning() {
        if (!process.isAlive()) {
            throw new IllegalStateException("router (pid " + process.pid() + ") exited with status " + process.exitValue()
                    + " while the benchmark ran; its log:\n" + logTail());
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            HttpRequest probe = HttpRequest.newBuilder(baseUrl().resolve("/v1/models")).timeout(Duration.ofSeconds(5)).GET().build();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("router exited with status " + process.exitValue() + " during start-up; its log:\n" + logTail());
                }
                try {
                    if (client.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYetListening) {
                    // expected until Tomcat is up
                }
                Thread.sleep(250);
            }
        }
        throw new IllegalStateException("router did not answer GET /v1/models within " + timeout.toSeconds() + " s; its log:\n" + logTail());
    }

    /** The last lines of the router's log, for error messages. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** Fails fast on a jar whose start class is Boot's launcher itself, which would recurse until the stack overflows. */
    private static void requireRunnable(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String startClass = manifest == null ? null : manifest.getMainAttributes().getValue("Start-Class");
            if (startClass == null || startClass.startsWith("org.springframework.boot.loader.")) {
                throw new IllegalStateException("router jar " + jar + " has Start-Class " + startClass
                        + ", not the router's main class: it was repackaged twice (or is not a Boot jar); pass another with --router-jar");
            }
        }
    }

    private static int freeLoopbackPort() throws IOException {
        // A small race (another process may take the port before the router binds it) that start-up would report.
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
