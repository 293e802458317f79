package dev.coe.evaluation.optimize;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An embedding model that remembers every text's embedding in a file, so that classifying ~12k MMLU-Pro prompts
 * (minutes of ONNX inference on a small machine) is paid once: later runs, and a second classifier over the same
 * prompts, read the vectors back. The classifiers still run their own code on top; only the model call is cached.
 * Keys are SHA-256 of the text plus the model id, so a cache of another model is never reused. Thread-safe.
 */
final class EmbeddingCache implements EmbeddingModel, AutoCloseable {

    /** Larger than any sentence-embedding model's; a bigger value in the file means the file is not ours. */
    private static final int MAX_DIMENSION = 65_536;

    private final EmbeddingModel delegate;
    private final String modelId;
    private final Map<String, float[]> vectors = new ConcurrentHashMap<>();
    private final DataOutputStream appender;
    private int misses;

    private EmbeddingCache(EmbeddingModel delegate, String modelId, DataOutputStream appender) {
        this.delegate = delegate;
        this.modelId = modelId;
        this.appender = appender;
    }

    /**
     * Opens (or creates) the cache file. A truncated last record, left by an interrupted run, is cut off before new
     * records are appended, so the file stays readable.
     */
    static EmbeddingCache open(Path file, EmbeddingModel delegate, String modelId) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Map<String, float[]> read = new java.util.HashMap<>();
        long complete = 0;
        if (Files.exists(file)) {
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
                while (true) {
                    String key = in.readUTF();
                    int dimension = in.readInt();
                    if (dimension < 0 || dimension > MAX_DIMENSION) {
                        break; // not a record of ours: keep what came before
                    }
                    float[] v = new float[dimension];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = in.readFloat();
                    }
                    read.put(key, v);
                    complete += 2 + key.length() + 4 + 4L * dimension; // keys are ASCII hex: one byte per char
                }
            } catch (EOFException | java.io.UTFDataFormatException endOfRecords) {
                // done, or an incomplete last record: it is cut off below and recomputed on demand
            }
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(complete);
            }
        }
        EmbeddingCache cache = new EmbeddingCache(delegate, modelId, new DataOutputStream(new BufferedOutputStream(
                Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND))));
        cache.vectors.putAll(read);
        return cache;
    }

    int size() {
        return vectors.size();
    }

    synchronized int misses() {
        return misses;
    }

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        List<TextSegment> missing = segments.stream().filter(s -> !vectors.containsKey(key(s.text()))).distinct().toList();
        if (!missing.isEmpty()) {
            List<Embedding> embedded = delegate.embedAll(missing).content();
            synchronized (this) {
                misses += missing.size();
                for (int i = 0; i < missing.size(); i++) {
                    String key = key(missing.get(i).text());
                    float[] v = embedded.get(i).vector();
                    if (vectors.putIfAbsent(key, v) == null) {
                        write(key, v);
                    }
                }
            }
        }
        return Response.from(segments.stream().map(s -> Embedding.from(vectors.get(key(s.text())))).toList());
    }

    @Override
    public int dimension() {
        return delegate.dimension();
    }

    @Override
    public synchronized void close() throws IOException {
        appender.close();
    }

    private void write(String key, float[] v) {
        try {
            appender.writeUTF(key);
            appender.writeInt(v.length);
            for (float x : v) {
                appender.writeFloat(x);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the embedding cache", e);
        }
    }

    private String key(String text) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(modelId.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            return HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
