package dev.coe.router.system;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;

/**
 * Which web pages may call {@code /v1/**} from a browser (CORS). SDKs and servers send no {@code Origin} and are not
 * affected; a browser app on another origin (a chat playground, an internal tool) needs its origin listed here.
 *
 * @param allowedOrigins origins such as {@code https://chat.example.com}, patterns such as
 *                       {@code https://*.example.com}, or {@code *} for any page (env
 *                       {@code COE_CORS_ALLOWED_ORIGINS}, comma-separated). Empty (the default): no CORS headers, so
 *                       browsers keep pages on other origins out. Cookies are never allowed: clients authenticate with
 *                       their key in {@code Authorization}
 * @param maxAge         how long a browser may cache the answer to a preflight request
 */
@ConfigurationProperties("coe.cors")
public record CorsProperties(@DefaultValue List<String> allowedOrigins, @DefaultValue("1h") Duration maxAge) {

    public CorsProperties {
        allowedOrigins = List.copyOf(allowedOrigins);
        for (String origin : allowedOrigins) {
            // An origin is a scheme, a host and maybe a port; anything else would never match a browser's Origin
            // header, and a page the operator meant to let in would fail with nothing in the router's log.
            if (!origin.equals("*") && !origin.matches("https?://[^/?#\\s]+/?")) {
                throw new IllegalArgumentException("coe.cors.allowed-origins: '" + origin + "' is not an origin; write "
                        + "a scheme and a host, with a port where needed (https://chat.example.com, "
                        + "http://localhost:3000, https://*.example.com), or * for any page");
            }
        }
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("coe.cors.max-age must not be negative, but was " + maxAge);
        }
    }

    public boolean enabled() {
        return !allowedOrigins.isEmpty();
    }
}
