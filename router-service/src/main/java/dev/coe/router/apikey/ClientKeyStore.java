package dev.coe.router.apikey;

import org.springframework.jdbc.core.simple.JdbcClient;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The client keys in the admin database (H2 file by default, PostgreSQL with the {@code postgres} profile), shared by
 * every replica that uses the same database. Thread-safe.
 */
public final class ClientKeyStore {

    private static final String COLUMNS = "key_id, name, key_hash, key_prefix, allowed_models, allowed_categories, "
            + "requests_per_minute, tokens_per_minute, token_budget, tokens_used, created_by, created_at, expires_at, revoked_at";

    private final JdbcClient jdbc;

    public ClientKeyStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<ClientKey> all() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM coe_client_key ORDER BY created_at, key_id").query(ClientKeyStore::row).list();
    }

    void insert(ClientKey key) {
        jdbc.sql("INSERT INTO coe_client_key (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(key.id(), key.name(), key.hash(), key.prefix(), join(key.allowedModels()), join(key.allowedCategories()),
                        key.requestsPerMinute(), key.tokensPerMinute(), key.tokenBudget(), key.tokensUsed(), key.createdBy(),
                        Timestamp.from(key.createdAt()), timestamp(key.expiresAt()), null)
                .update();
    }

    /**
     * Replaces what an operator may change of a key: its name, what it may use, its limits and its expiry.
     *
     * @return false when there is no such key, or it was revoked (a revoked key stays as it was)
     */
    boolean update(ClientKey key) {
        return jdbc.sql("UPDATE coe_client_key SET name = ?, allowed_models = ?, allowed_categories = ?, requests_per_minute = ?, "
                        + "tokens_per_minute = ?, token_budget = ?, expires_at = ? WHERE key_id = ? AND revoked_at IS NULL")
                .params(key.name(), join(key.allowedModels()), join(key.allowedCategories()), key.requestsPerMinute(),
                        key.tokensPerMinute(), key.tokenBudget(), timestamp(key.expiresAt()), key.id())
                .update() == 1;
    }

    /** @return whether a key that was not yet revoked is now */
    boolean revoke(String id, Instant at) {
        return jdbc.sql("UPDATE coe_client_key SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL")
                .params(Timestamp.from(at), id).update() == 1;
    }

    /** Adds this replica's usage to the shared total: an increment, so replicas never overwrite each other. */
    void addUsage(String id, long tokens) {
        jdbc.sql("UPDATE coe_client_key SET tokens_used = tokens_used + ? WHERE key_id = ?").params(tokens, id).update();
    }

    private static ClientKey row(ResultSet rs, int n) throws SQLException {
        Timestamp revoked = rs.getTimestamp("revoked_at");
        Timestamp expires = rs.getTimestamp("expires_at");
        return new ClientKey(rs.getString("key_id"), rs.getString("name"), rs.getString("key_hash").trim(),
                rs.getString("key_prefix"), split(rs.getString("allowed_models")), split(rs.getString("allowed_categories")),
                (Integer) rs.getObject("requests_per_minute", Integer.class),
                (Integer) rs.getObject("tokens_per_minute", Integer.class), (Long) rs.getObject("token_budget", Long.class),
                rs.getLong("tokens_used"), rs.getString("created_by"), rs.getTimestamp("created_at").toInstant(),
                expires == null ? null : expires.toInstant(), revoked == null ? null : revoked.toInstant());
    }

    private static Timestamp timestamp(Instant at) {
        return at == null ? null : Timestamp.from(at);
    }

    /** Model and category ids never contain a newline, so one per line needs no escaping. */
    private static String join(Set<String> ids) {
        return String.join("\n", ids);
    }

    private static Set<String> split(String text) {
        return text == null || text.isEmpty() ? Set.of() : new LinkedHashSet<>(Arrays.asList(text.split("\n")));
    }
}
