package dev.coe.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

/**
 * A schema of its own in the PostgreSQL every development and CI machine runs (127.0.0.1:5432, database {@code test},
 * trust auth), for the routers of one test; dropped when closed. Override the server with {@code -Dcoe.it.postgres-url}
 * and {@code -Dcoe.it.postgres-user}.
 */
final class PostgresSchema implements AutoCloseable {

    static final String URL = System.getProperty("coe.it.postgres-url", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String USER = System.getProperty("coe.it.postgres-user", "postgres");

    private final String name;

    private PostgresSchema(String name) {
        this.name = name;
    }

    /** A fresh name; Flyway creates the schema when the first router starts on it. */
    static PostgresSchema fresh(String purpose) {
        return new PostgresSchema("coe_it_" + purpose + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10));
    }

    String name() {
        return name;
    }

    /** The properties that start a router on this schema with the {@code postgres} profile. */
    String[] routerProperties() {
        return new String[]{"spring.profiles.active=postgres", "spring.datasource.url=" + URL + "?currentSchema=" + name,
                "spring.datasource.username=" + USER, "spring.flyway.schemas=" + name};
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(URL, USER, "");
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = connect()) {
            c.createStatement().execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
        }
    }
}
