package dev.coe.router.admin;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * {@link VersionStore} in one SQL table ({@code coe_config_version}, created by Flyway), the same code for the embedded
 * H2 file database and for PostgreSQL. The configuration is stored as JSON. Thread-safe: an append checks the live
 * version and inserts the next number in one transaction, and the primary key turns a race between two router
 * processes into a {@link StaleVersionException} instead of a lost change.
 */
final class JdbcVersionStore implements VersionStore {

    private static final String COLUMNS = "version_no, draft, parent_no, author, created_at, change_comment, config_json";

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final JsonMapper json = JsonMapper.builder().build();

    JdbcVersionStore(JdbcClient jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactions);
    }

    @Override
    public Optional<ConfigVersion> find(long number) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM coe_config_version WHERE version_no = ?")
                .param(number).query(this::row).optional();
    }

    @Override
    public Optional<ConfigVersion> findLive() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM coe_config_version WHERE draft = FALSE ORDER BY version_no DESC LIMIT 1")
                .query(this::row).optional();
    }

    @Override
    public List<ConfigVersion> history() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM coe_config_version ORDER BY version_no DESC").query(this::row).list();
    }

    @Override
    public ConfigVersion append(ConfigVersion version, long expectedLive) {
        try {
            return transactions.execute(status -> {
                long live = jdbc.sql("SELECT COALESCE(MAX(version_no), 0) FROM coe_config_version WHERE draft = FALSE")
                        .query(Long.class).single();
                if (!version.draft() && live != expectedLive) {
                    throw new StaleVersionException(expectedLive, live);
                }
                long next = jdbc.sql("SELECT COALESCE(MAX(version_no), 0) + 1 FROM coe_config_version")
                        .query(Long.class).single();
                ConfigVersion saved = new ConfigVersion(next, version.config(), version.author(), version.createdAt(),
                        version.comment(), version.draft(), version.parent());
                jdbc.sql("INSERT INTO coe_config_version (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)")
                        .params(next, saved.draft(), saved.parent(), saved.author(),
                                OffsetDateTime.ofInstant(saved.createdAt(), ZoneOffset.UTC), saved.comment(),
                                json.writeValueAsString(saved.config()))
                        .update();
                return saved;
            });
        } catch (DuplicateKeyException race) {
            // Another process took the same number between our read and our insert.
            long live = findLive().map(ConfigVersion::number).orElse(NONE);
            throw new StaleVersionException(expectedLive, live);
        }
    }

    private ConfigVersion row(ResultSet rs, int rowNum) throws SQLException {
        long parentNo = rs.getLong("parent_no");
        Long parent = rs.wasNull() ? null : parentNo;
        return new ConfigVersion(rs.getLong("version_no"),
                json.readValue(rs.getString("config_json"), RoutingConfig.class),
                rs.getString("author"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getString("change_comment"),
                rs.getBoolean("draft"),
                parent);
    }
}
