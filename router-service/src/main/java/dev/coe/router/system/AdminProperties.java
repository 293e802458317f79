package dev.coe.router.system;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import java.time.Duration;

/**
 * Who may use {@code /admin/**}: one user, with credentials from the environment or config.
 *
 * @param username user name for HTTP Basic and the login form (env {@code COE_ADMIN_USERNAME})
 * @param password its password (env {@code COE_ADMIN_PASSWORD}), plain or encoded with an id prefix such as
 *                 {@code {bcrypt}$2a$...}; when unset a random one is generated and logged once at start
 * @param logPrompts whether the live view's list of recent routing decisions keeps the prompt text (env
 *                 {@code COE_ADMIN_LOG_PROMPTS}); off by default, when it keeps only a SHA-256 prefix and the length
 * @param recentDecisions how many recent routing decisions the live view keeps in memory (0 to 10000)
 * @param maxFailedLogins failed logins (HTTP Basic or the login form) from one address after which its further
 *                 attempts get 429 until {@code failedLoginWindow} has passed without a new failure; 0 for no limit
 * @param failedLoginWindow how long a failed login is remembered
 */
@Validated
@ConfigurationProperties("coe.admin")
public record AdminProperties(@NotBlank @DefaultValue("admin") String username, String password,
                              @DefaultValue("false") boolean logPrompts,
                              @Min(0) @Max(10_000) @DefaultValue("200") int recentDecisions,
                              @Min(0) @DefaultValue("10") int maxFailedLogins,
                              @DefaultValue("1m") Duration failedLoginWindow) {

    /** Never shows the password, so logging the properties cannot leak it. */
    @Override
    public String toString() {
        return "AdminProperties[username=" + username + ", password=" + (password == null ? "<generated>" : "<set>")
                + ", logPrompts=" + logPrompts + ", recentDecisions=" + recentDecisions + ", maxFailedLogins=" + maxFailedLogins
                + ", failedLoginWindow=" + failedLoginWindow + "]";
    }
}
