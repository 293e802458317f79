package dev.coe.router.admin;

import com.zaxxer.hikari.HikariDataSource;
import dev.coe.classifier.Category;
import dev.coe.classifier.CategoryClassifier;
import dev.coe.gateway.Expert;
import dev.coe.router.expert.ExpertCatalog;
import dev.coe.router.expert.ExpertFleet;
import dev.coe.router.routing.Router;
import dev.coe.router.shared.ReplicaEvents;
import dev.coe.router.shared.SharedStateProperties;
import dev.coe.router.system.CoeProperties;
import dev.coe.router.system.ConfigFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Wires the admin API's versioned configuration: the store (H2 under {@code coe.data-dir} by default, PostgreSQL with
 * the {@code postgres} profile or any {@code spring.datasource.url}), and the version that is live at start.
 */
@Configuration(proxyBeanMethods = false)
class AdminConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AdminConfiguration.class);

    static final String ROUTING_TOPIC = "routing";

    /**
     * The safety net behind the replicas' notices: picks up a version made live by another replica that shares the
     * store even when its notice was lost (or there is no Redis), within {@code coe.shared.poll-interval}.
     */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService routingVersionPoll(RoutingVersions versions, SharedStateProperties shared) {
        ScheduledExecutorService poll = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("coe-routing-poll").daemon().factory());
        long every = shared.pollInterval().toMillis();
        poll.scheduleWithFixedDelay(() -> {
            try {
                versions.syncLive();
            } catch (RuntimeException e) {
                log.warn("admin: could not check the store for a newer live version: {}", e.getMessage());
            }
        }, every, every, TimeUnit.MILLISECONDS);
        return poll;
    }

    /** Name of the H2 database under {@code coe.data-dir}: {@code coe-admin.mv.db}. */
    static final String H2_DATABASE = "coe-admin";

    /**
     * The embedded default: an H2 file database in {@code coe.data-dir}, built here rather than in application.yaml
     * because H2 refuses a relative path unless it starts with {@code ./}, and the data dir may be given either way.
     */
    @Bean
    @ConditionalOnExpression("'${spring.datasource.url:}' == ''")
    DataSource adminDataSource(CoeProperties properties) {
        Path dir = properties.dataDir().toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create coe.data-dir " + dir, e);
        }
        log.info("admin: routing versions are kept in the H2 database {}", dir.resolve(H2_DATABASE + ".mv.db"));
        HikariDataSource ds = new HikariDataSource();
        ds.setPoolName("coe-admin");
        ds.setJdbcUrl("jdbc:h2:file:" + dir.resolve(H2_DATABASE) + ";DB_CLOSE_ON_EXIT=FALSE");
        ds.setUsername("sa");
        ds.setPassword("");
        ds.setMaximumPoolSize(4);
        return ds;
    }

    @Bean
    @DependsOnDatabaseInitialization
    VersionStore versionStore(DataSource dataSource, PlatformTransactionManager transactions) {
        return new JdbcVersionStore(JdbcClient.create(dataSource), transactions);
    }

    /** Created after Flyway has migrated the schema (its initializer runs when the DataSource is ready). */
    @Bean
    RoutingVersions routingVersions(VersionStore store, Router router, ExpertFleet fleet,
                                    CategoryClassifier classifier, ConfigFiles files, ReplicaEvents events) {
        List<String> expertIds = router.experts().all().stream().map(Expert::id).map(Object::toString).toList();
        List<Category> taxonomy = classifier.categories();
        RoutingVersions versions = new RoutingVersions(store, router, fleet, taxonomy.stream().map(Category::id).toList(),
                Clock.systemUTC());
        versions.start(RoutingYaml.read(files.read("routing.yaml"), taxonomy, expertIds,
                ExpertCatalog.read(files.read("experts.yaml"))));
        // Replicas sharing the store: each tells the others when it applies a version, and the others load it.
        versions.onApplied(number -> events.publish(ROUTING_TOPIC));
        events.subscribe(ROUTING_TOPIC, versions::syncLive);
        return versions;
    }
}
