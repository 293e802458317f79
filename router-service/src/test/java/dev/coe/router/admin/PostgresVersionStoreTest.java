package dev.coe.router.admin;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The store on the real PostgreSQL of the development and CI machines (127.0.0.1:5432, database {@code test}, trust
 * auth; override with {@code -Dcoe.test.postgres-url} and {@code -Dcoe.test.postgres-user}). Each test migrates a
 * schema of its own and drops it afterwards, so parallel runs on one server do not clash.
 */
class PostgresVersionStoreTest extends VersionStoreContract {

    static final String URL = System.getProperty("coe.test.postgres-url", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String USER = System.getProperty("coe.test.postgres-user", "postgres");

    private final List<String> schemas = new ArrayList<>();

    @Override
    DataSource dataSource() {
        String schema = "coe_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        schemas.add(schema);
        DataSource ds = new SimpleDriverDataSource(new org.postgresql.Driver(), URL + "?currentSchema=" + schema, USER, "");
        // Flyway creates the schema it is given; the test drops it.
        Flyway.configure().dataSource(ds).schemas(schema).load().migrate();
        return ds;
    }

    @AfterEach
    void dropSchemas() throws SQLException {
        try (Connection c = DriverManager.getConnection(URL, USER, "")) {
            for (String schema : schemas) {
                c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }
}
