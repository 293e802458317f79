package dev.coe.router.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What the live view keeps of a request's prompt: a SHA-256 prefix and the length always, the text itself only when
 * {@code coe.admin.log-prompts} is on (and then cut to {@link #MAX_STORED_CHARS}). Immutable.
 *
 * @param sha256 the first {@link #HASH_HEX_CHARS} hex digits of the SHA-256 of the prompt's UTF-8 bytes: enough to
 *               see that two requests carried the same prompt, not enough to search for one
 * @param length the prompt's length in characters
 * @param text   the prompt, or null when prompts are not logged
 */
public record PromptRecord(String sha256, int length, String text) {

    /** Hex digits of the hash kept: 12, i.e. 48 bits. */
    public static final int HASH_HEX_CHARS = 12;
    /** Longest prompt text kept when prompts are logged; the rest is cut off, so the list of decisions stays bounded. */
    public static final int MAX_STORED_CHARS = 2_000;

    /**
     * @param keepText whether the text itself may be kept ({@code coe.admin.log-prompts})
     */
    public static PromptRecord of(String prompt, boolean keepText) {
        String p = prompt == null ? "" : prompt;
        String text = !keepText ? null : p.length() <= MAX_STORED_CHARS ? p : p.substring(0, MAX_STORED_CHARS) + "…";
        return new PromptRecord(sha256(p).substring(0, HASH_HEX_CHARS), p.length(), text);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
