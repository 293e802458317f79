package dev.coe.router.system;

import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How the admin password is checked on every HTTP Basic request. A password configured as plain text (it comes from
 * the environment, where it already lies readable) is checked against its SHA-256 digest, marked {@value #DIGEST_ID},
 * in microseconds with a constant-time comparison; the security beans keep only the digest. Hashing it with bcrypt instead, as Spring Security would,
 * protects nothing the environment does not already expose, and costs about 60 ms of CPU on every request: a script
 * calling the admin API, or anyone sending wrong passwords, would keep a core busy. Guessing is stopped instead by
 * counting failures per address ({@link AdminLoginThrottle}). A password configured already
 * encoded ({@code {bcrypt}…}, {@code {pbkdf2}…}) is the operator's choice and is checked by Spring Security's
 * encoders, at their cost. Stateless and thread-safe.
 */
final class AdminPasswords implements PasswordEncoder {

    static final String DIGEST_ID = "{sha256-plain}";

    private final PasswordEncoder standard = PasswordEncoderFactories.createDelegatingPasswordEncoder();
    private final boolean digests;

    /**
     * @param stored the password as kept ({@link #stored}); decides how {@link #encode} encodes, so that the dummy
     *               check Spring Security runs for an unknown user name costs what the real one does and the time
     *               taken does not tell whether a user exists
     */
    AdminPasswords(String stored) {
        this.digests = stored.startsWith(DIGEST_ID);
    }

    /** The form in which a configured password is kept: its digest if plain, as configured if already encoded. */
    static String stored(String configured) {
        return isEncoded(configured) ? configured : digest(configured);
    }

    @Override
    public String encode(CharSequence raw) {
        return digests ? digest(raw.toString()) : standard.encode(raw);
    }

    @Override
    public boolean matches(CharSequence raw, String encoded) {
        if (raw == null || encoded == null) {
            return false;
        }
        if (encoded.startsWith(DIGEST_ID)) {
            byte[] expected;
            try {
                expected = HexFormat.of().parseHex(encoded, DIGEST_ID.length(), encoded.length());
            } catch (IllegalArgumentException notHex) {
                return false;
            }
            return MessageDigest.isEqual(sha256(raw.toString()), expected);
        }
        return standard.matches(raw, encoded);
    }

    /** Never: a stored digest stays a digest (upgrading it to bcrypt would bring the per-request cost back). */
    @Override
    public boolean upgradeEncoding(String encoded) {
        return false;
    }

    private static boolean isEncoded(String configured) {
        return configured.startsWith("{");
    }

    private static String digest(String plain) {
        return DIGEST_ID + HexFormat.of().formatHex(sha256(plain));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
