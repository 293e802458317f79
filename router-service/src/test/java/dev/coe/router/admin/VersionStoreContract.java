package dev.coe.router.admin;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import javax.sql.DataSource;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link VersionStore} must do, run against each database it supports (the langchain4j contract-suite
 * pattern). A subclass gives a fresh, migrated, empty database in {@link #dataSource()}.
 */
abstract class VersionStoreContract {

    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05.123456Z");

    /** A migrated, empty database of its own; called once per test. */
    abstract DataSource dataSource();

    private VersionStore store() {
        DataSource ds = dataSource();
        return new JdbcVersionStore(JdbcClient.create(ds), new DataSourceTransactionManager(ds));
    }

    private static ConfigVersion version(String author, boolean draft, Long parent) {
        return new ConfigVersion(0, ConfigValidatorTest.valid(), author, T0, "why: ünïcode & <b>", draft, parent);
    }

    @Test
    void should_be_empty_when_nothing_was_saved() {
        VersionStore store = store();
        assertThat(store.findLive()).isEmpty();
        assertThat(store.history()).isEmpty();
        assertThat(store.find(1)).isEmpty();
    }

    @Test
    void should_number_versions_and_keep_every_field_when_saved() {
        // given
        VersionStore store = store();
        // when
        ConfigVersion first = store.append(version("config/", false, null), VersionStore.NONE);
        ConfigVersion second = store.append(version("alice", false, 1L), 1);
        // then
        assertThat(first.number()).isEqualTo(1);
        assertThat(second.number()).isEqualTo(2);
        assertThat(store.find(2)).contains(second);
        assertThat(store.find(1)).contains(first);
        assertThat(store.findLive()).contains(second);
        assertThat(store.history()).containsExactly(second, first);
    }

    @Test
    void should_leave_the_live_version_alone_when_a_draft_is_saved() {
        // given
        VersionStore store = store();
        store.append(version("config/", false, null), VersionStore.NONE);
        // when a draft is saved, whatever the caller believed was live
        ConfigVersion draft = store.append(version("bob", true, 1L), 42);
        // then
        assertThat(draft.number()).isEqualTo(2);
        assertThat(store.findLive().orElseThrow().number()).isEqualTo(1);
        assertThat(store.append(version("bob", false, 1L), 1).number()).isEqualTo(3);
    }

    @Test
    void should_refuse_a_change_and_save_nothing_when_it_was_based_on_a_stale_version() {
        // given
        VersionStore store = store();
        store.append(version("config/", false, null), VersionStore.NONE);
        store.append(version("alice", false, 1L), 1);
        // when / then
        assertThatThrownBy(() -> store.append(version("bob", false, 1L), 1))
                .isInstanceOf(VersionStore.StaleVersionException.class)
                .satisfies(e -> assertThat(((VersionStore.StaleVersionException) e).live()).isEqualTo(2));
        assertThat(store.history()).extracting(ConfigVersion::author).containsExactly("alice", "config/");
    }

    @Test
    void should_keep_a_category_without_rule_apart_from_an_empty_chain_when_read_back() {
        VersionStore store = store();
        ConfigVersion saved = store.append(version("config/", false, null), VersionStore.NONE);
        CategoryConfig math = store.find(saved.number()).orElseThrow().config().findCategory("math").orElseThrow();
        assertThat(math.chain()).isNull();
        assertThat(math.threshold()).isNull();
        assertThat(List.of(math.hasRule())).containsExactly(false);
    }
}
