package dev.coe.router.admin;

import org.flywaydb.core.Flyway;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.postgresql.PostgreSQLContainer;

import javax.sql.DataSource;
import java.util.UUID;

/**
 * The store on a throw-away PostgreSQL started by Testcontainers; skipped where Docker is not available (the local
 * server variant, {@link PostgresVersionStoreTest}, runs everywhere).
 */
@Testcontainers(disabledWithoutDocker = true)
class PostgresContainerVersionStoreTest extends VersionStoreContract {

    @Container
    static final PostgreSQLContainer POSTGRES = new PostgreSQLContainer("postgres:16-alpine");

    @Override
    DataSource dataSource() {
        String schema = "coe_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        DataSource ds = new SimpleDriverDataSource(new org.postgresql.Driver(),
                POSTGRES.getJdbcUrl() + "&currentSchema=" + schema, POSTGRES.getUsername(), POSTGRES.getPassword());
        Flyway.configure().dataSource(ds).schemas(schema).load().migrate();
        return ds;
    }
}
