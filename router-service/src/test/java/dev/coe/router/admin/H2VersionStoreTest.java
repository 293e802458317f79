package dev.coe.router.admin;

import org.flywaydb.core.Flyway;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import javax.sql.DataSource;
import java.util.UUID;

/** The store on H2 (the embedded default), an in-memory database per test, migrated by the app's own Flyway scripts. */
class H2VersionStoreTest extends VersionStoreContract {

    @Override
    DataSource dataSource() {
        DataSource ds = new SimpleDriverDataSource(new org.h2.Driver(),
                "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(ds).load().migrate();
        return ds;
    }

    /** A store on a fresh in-memory database, for tests of what sits on top of the store. */
    VersionStore storeForTest() {
        DataSource ds = dataSource();
        return new JdbcVersionStore(org.springframework.jdbc.core.simple.JdbcClient.create(ds),
                new org.springframework.jdbc.datasource.DataSourceTransactionManager(ds));
    }
}
