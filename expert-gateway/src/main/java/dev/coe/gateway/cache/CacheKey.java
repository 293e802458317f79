package dev.coe.gateway.cache;

import dev.coe.gateway.ExpertConfig;
import dev.coe.gateway.ExpertRequest;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The cache key of one request to one expert: the SHA-256 of a canonical form of everything that shapes the
 * answer. Immutable and thread-safe; equal when the values are equal.
 * <p>
 * The canonical form holds the expert (id, provider, base URL and upstream model), every message with its role
 * made explicit (a user message "x" and a system message "x" differ), names, tool call ids, arguments and tool
 * results, and every option of {@link ExpertRequest} except {@code user}. JSON the client wrote (tool parameter
 * schemas, the response format's schema, tool call arguments) is parsed and written with its object keys sorted,
 * so that requests differing only in key order share a key; array order is kept, since it can carry meaning
 * (stop sequences, enum values). The form starts with a version, so that a change of format never collides
 * with keys of the old one.
 * <p>
 * {@code user} is left out on purpose: it identifies the end user to the provider for abuse monitoring and does
 * not change the answer, so leaving it out lets identical questions from different users share an answer.
 */
public final class CacheKey {

    /** Prefix of the canonical form; bump it whenever {@link CanonicalRequest} changes what it writes. */
    static final String FORMAT_VERSION = "coe-cache-key/v1\n";

    private final String value;

    private CacheKey(String value) {
        this.value = value;
    }

    /** The key of {@code request} sent to {@code expert}. */
    public static CacheKey of(ExpertConfig expert, ExpertRequest request) {
        Objects.requireNonNull(expert, "expert");
        Objects.requireNonNull(request, "request");
        MessageDigest sha256 = sha256();
        // Streams the canonical form into the digest, so a long conversation is never held twice in memory.
        try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), sha256)) {
            out.write(FORMAT_VERSION.getBytes(StandardCharsets.UTF_8));
            CanonicalJson.write(CanonicalRequest.of(expert, request), out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the canonical form of a request", e);
        }
        return new CacheKey(HexFormat.of().formatHex(sha256.digest()));
    }

    /** The canonical form that {@link #of} hashes; for tests and for debugging a surprising miss. */
    static String canonicalForm(ExpertConfig expert, ExpertRequest request) {
        return FORMAT_VERSION + CanonicalJson.toString(CanonicalRequest.of(expert, request));
    }

    /** The SHA-256 of the canonical form, 64 lowercase hex digits. */
    public String value() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CacheKey that && value.equals(that.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /** A short prefix of the hash: enough to tell keys apart in a log line. */
    @Override
    public String toString() {
        return "CacheKey[" + value.substring(0, 12) + "]";
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime must provide SHA-256", e);
        }
    }
}
