package dev.coe.router.system;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotBlank;

/**
 * Who may use {@code /admin/**}: one user, with credentials from the environment or config.
 *
 * @param username user name for HTTP Basic and the login form (env {@code COE_ADMIN_USERNAME})
 * @param password its password (env {@code COE_ADMIN_PASSWORD}), plain or encoded with an id prefix such as
 *                 {@code {bcrypt}$2a$...}; when unset a random one is generated and logged once at start
 */
@Validated
@ConfigurationProperties("coe.admin")
public record AdminProperties(@NotBlank @DefaultValue("admin") String username, String password) {

    /** Never shows the password, so logging the properties cannot leak it. */
    @Override
    public String toString() {
        return "AdminProperties[username=" + username + ", password=" + (password == null ? "<generated>" : "<set>") + "]";
    }
}
