package dev.coe.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the router process's resources from outside, as an operator would: the JDK's {@code jcmd} (a full GC,
 * then the heap and a thread dump), {@code /proc/<pid>} (RSS, file descriptors, TCP connections) and the router's
 * {@code /actuator/prometheus}. Linux only. Not thread-safe: one sampling thread uses it.
 */
final class RouterProbe {

    private static final Duration JCMD_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration SCRAPE_TIMEOUT = Duration.ofSeconds(30);
    /** "used 41239K" in GC.heap_info's heap lines (K, M or G, by collector). */
    private static final Pattern USED = Pattern.compile("used (\\d+)([KMG])");
    /** G1's "region size 1024K, 3 young (3072K), 0 survivors (0K)". */
    private static final Pattern G1_YOUNG = Pattern.compile("\\d+ young \\((\\d+)K\\)");
    private static final String TCP_ESTABLISHED = "01";
    private static final String TCP_CLOSE_WAIT = "08";

    /**
     * The router's resources at one moment, right after a full GC.
     *
     * @param heapAfterGcBytes heap occupied after the forced GC (for G1: old and humongous regions, i.e. what survived it)
     * @param nonHeapBytes     {@code jvm.memory.used{area=nonheap}}: metaspace, code cache, compressed class space
     * @param rssBytes         resident set size ({@code VmRSS})
     * @param platformThreads  {@code jvm.threads.live}: live platform threads (virtual ones are not counted there)
     * @param virtualThreads   virtual threads in the thread dump (request handlers in flight, among others)
     * @param openFds          entries of {@code /proc/<pid>/fd}
     * @param tcpIn            established TCP connections on the router's port (from clients)
     * @param tcpOut           established TCP connections to the experts' ports
     * @param closeWait        the process's TCP connections in CLOSE_WAIT (closed by the peer, not yet by the router)
     */
    record Resources(long heapAfterGcBytes, long nonHeapBytes, long rssBytes, int platformThreads, int virtualThreads,
                     int openFds, int tcpIn, int tcpOut, int closeWait) {
    }

    /** One sample: the resources, and the metrics page they were partly read from. */
    record Reading(Resources resources, PrometheusText metrics) {
    }

    private final long pid;
    private final URI prometheusUrl;
    private final int routerPort;
    private final Set<Integer> expertPorts;
    private final Path jcmdCommands;
    private final Path jcmdOutput;
    private final Path threadDump;
    private final HttpClient client;
    private final boolean dumpThreads;

    /**
     * @param workDir     where the probe keeps its {@code jcmd} command file, jcmd's latest output and the latest thread dump
     * @param dumpThreads whether to count virtual threads with a JSON thread dump. Off by default: on Temurin 25.0.3
     *                    the dump crashed the router under this load (SIGSEGV in the JVM's thread snapshot,
     *                    {@code GetThreadSnapshotClosure}); a leak of virtual threads shows as heap growth anyway
     */
    RouterProbe(long pid, URI routerBaseUrl, Set<Integer> expertPorts, Path workDir, HttpClient client, boolean dumpThreads) {
        this.dumpThreads = dumpThreads;
        this.pid = pid;
        this.prometheusUrl = routerBaseUrl.resolve("/actuator/prometheus");
        this.routerPort = routerBaseUrl.getPort();
        this.expertPorts = Set.copyOf(expertPorts);
        this.jcmdCommands = workDir.resolve("jcmd-commands.txt");
        this.jcmdOutput = workDir.resolve("jcmd-output.txt");
        this.threadDump = workDir.resolve("router-threads.json");
        this.client = client;
    }

    /**
     * Forces a full GC in the router, then reads everything.
     *
     * @throws IllegalStateException when {@code jcmd} fails or the router does not answer its metrics
     * @throws UncheckedIOException  when {@code /proc} cannot be read (the router has exited)
     */
    Reading read() throws InterruptedException {
        String heapInfo = jcmd();
        PrometheusText metrics = scrape();
        long heapAfterGc = heapAfterGc(heapInfo);
        int virtualThreads = dumpThreads ? virtualThreads(threadDump) : -1;
        Set<Long> sockets = new HashSet<>();
        int fds = openFds(sockets);
        int[] tcp = tcp(sockets);
        Resources resources = new Resources(heapAfterGc, (long) metrics.sum("jvm_memory_used_bytes", "area", "nonheap"),
                rssBytes(), (int) metrics.sum("jvm_threads_live_threads"), virtualThreads, fds, tcp[0], tcp[1], tcp[2]);
        return new Reading(resources, metrics);
    }

    /**
     * @throws IllegalStateException when the router does not answer with 200
     */
    PrometheusText scrape() throws InterruptedException {
        return PrometheusText.scrape(client, prometheusUrl, SCRAPE_TIMEOUT);
    }

    /** Runs GC.run, GC.heap_info and a JSON thread dump in one attach (one jcmd JVM started, not three); returns the output. */
    private String jcmd() throws InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Files.writeString(jcmdCommands, String.join("\n", "GC.run", "GC.heap_info",
                    dumpThreads ? "Thread.dump_to_file -overwrite -format=json " + threadDump.toAbsolutePath() : "") + "\n");
            // Output to a file, not a pipe, so that a hanging jcmd cannot block the read past the timeout.
            Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "-f", jcmdCommands.toAbsolutePath().toString())
                    .redirectErrorStream(true)
                    .redirectOutput(jcmdOutput.toFile())
                    .start();
            if (!process.waitFor(JCMD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(jcmd + " did not finish within " + JCMD_TIMEOUT.toSeconds() + " s");
            }
            String text = Files.readString(jcmdOutput, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(jcmd + " " + pid + " failed with status " + process.exitValue() + ":\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + jcmd + ": " + e, e);
        }
    }

    /**
     * The heap after the GC that {@code GC.heap_info} followed. The figure GC.heap_info calls "used" also holds what
     * was allocated in the milliseconds since; with G1 that is all in young regions (a full GC leaves none), which
     * are subtracted. Other collectors' figures keep those few milliseconds of allocation.
     *
     * @throws IllegalStateException when the output has no heap figure
     */
    static long heapAfterGc(String heapInfo) {
        long used = 0;
        boolean found = false;
        for (String line : heapInfo.split("\n")) {
            if (line.contains("Metaspace") || line.contains("class space")) {
                continue;
            }
            Matcher m = USED.matcher(line);
            if (m.find()) {
                used += Long.parseLong(m.group(1)) * switch (m.group(2)) {
                    case "G" -> 1L << 30;
                    case "M" -> 1L << 20;
                    default -> 1L << 10;
                };
                found = true;
            }
        }
        if (!found) {
            throw new IllegalStateException("no heap figure in GC.heap_info's output:\n" + heapInfo);
        }
        Matcher young = G1_YOUNG.matcher(heapInfo);
        return young.find() ? used - Long.parseLong(young.group(1)) * 1024 : used;
    }

    /** Threads marked virtual in a JSON thread dump ({@code jcmd Thread.dump_to_file -format=json}). */
    static int virtualThreads(Path dump) {
        try {
            JsonNode root = OpenAiWire.JSON.readTree(dump.toFile());
            int count = 0;
            for (JsonNode container : root.path("threadDump").path("threadContainers")) {
                for (JsonNode thread : container.path("threads")) {
                    if (thread.path("virtual").asBoolean(false)) {
                        count++;
                    }
                }
            }
            return count;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the thread dump " + dump, e);
        }
    }

    /** Counts {@code /proc/<pid>/fd} and collects the inodes of the sockets among them. */
    private int openFds(Set<Long> socketInodes) {
        Path fdDir = Path.of("/proc", Long.toString(pid), "fd");
        try (Stream<Path> fds = Files.list(fdDir)) {
            List<Path> all = fds.toList();
            for (Path fd : all) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        socketInodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
                    }
                } catch (NoSuchFileException closedMeanwhile) {
                    // the descriptor was closed between listing and reading: nothing to count
                }
            }
            return all.size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + fdDir, e);
        }
    }

    /**
     * The router's TCP connections: established from clients, established to experts, and in CLOSE_WAIT. The kernel's
     * tables list every socket of the network namespace; the router's are those whose inode it holds a descriptor for.
     */
    private int[] tcp(Set<Long> socketInodes) {
        int in = 0;
        int out = 0;
        int closeWait = 0;
        for (String table : List.of("tcp", "tcp6")) {
            Path file = Path.of("/proc", Long.toString(pid), "net", table);
            List<String> lines;
            try {
                lines = Files.readAllLines(file);
            } catch (NoSuchFileException noIpv6) {
                continue;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 10 || !socketInodes.contains(Long.parseLong(f[9]))) {
                    continue;
                }
                if (f[3].equals(TCP_CLOSE_WAIT)) {
                    closeWait++;
                } else if (f[3].equals(TCP_ESTABLISHED)) {
                    if (port(f[1]) == routerPort) {
                        in++;
                    } else if (expertPorts.contains(port(f[2]))) {
                        out++;
                    }
                }
            }
        }
        return new int[] {in, out, closeWait};
    }

    /** The port of a {@code /proc/net/tcp} address, {@code 0100007F:1F90}. */
    private static int port(String address) {
        return Integer.parseInt(address.substring(address.indexOf(':') + 1), 16);
    }

    private long rssBytes() {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            throw new IllegalStateException(status + " has no VmRSS line");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + status, e);
        }
    }
}
