package dev.coe.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coe.gateway.stub.OpenAiStubServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Versions saved through the admin API survive a restart of the router: stop it and start it again on the same
 * store, and the change is still live (it routes the next request) with its whole history. Once with the default
 * H2 file database under {@code coe.data-dir}, once with the {@code postgres} profile against the PostgreSQL server
 * on 127.0.0.1:5432 (database {@code test}, trust auth), in a schema of its own that the test drops at the end.
 */
class AdminPersistenceIT {

    private static final String CODING_PROMPT = "Write a Python function that reverses a linked list, with unit tests.";
    private static final OpenAiStubServer FIRST = new OpenAiStubServer();
    private static final OpenAiStubServer SECOND = new OpenAiStubServer();


    @AfterAll
    static void stopStubs() {
        FIRST.close();
        SECOND.close();
    }

    @Test
    void should_keep_versions_in_the_data_dir_when_the_router_restarts() throws IOException {
        Path dataDir = Files.createTempDirectory("coe-admin-data");
        restartKeepsVersions("coe.data-dir=" + dataDir);
        assertThat(dataDir.resolve("coe-admin.mv.db")).exists();
    }

    @Test
    void should_keep_versions_in_postgresql_when_the_router_restarts() throws SQLException {
        try (PostgresSchema schema = PostgresSchema.fresh("persistence")) {
            restartKeepsVersions(schema.routerProperties());
            try (Connection c = schema.connect()) {
                var rs = c.createStatement().executeQuery("SELECT count(*) FROM " + schema.name() + ".coe_config_version");
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(4);
            }
        }
    }

    /**
     * Seeds version 1, adds an expert (version 2), routes coding to it (version 3, live), saves a draft (4), restarts,
     * and checks all of it is back: the added expert is built again from the stored version and answers.
     */
    private static void restartKeepsVersions(String... store) {
        String experts = """
                experts:
                  - {id: first,  provider: openai, base-url: %s, model: stub-a}
                  - {id: second, provider: openai, base-url: %s, model: stub-b}
                """.formatted(FIRST.baseUrl(), SECOND.baseUrl());
        String routing = """
                fallback-chain: [first]
                rules:
                  - {category: coding, chain: [first]}
                """;
        String[] properties = RouterUnderTest.with(store, AdminClient.routerProperties());
        // given a router given a new expert, and its coding rule moved to it, through the admin API
        try (RouterUnderTest router = RouterUnderTest.start(experts, routing, properties)) {
            AdminClient admin = AdminClient.of(router);
            assertThat(admin.get("/admin/api/config").json().path("version").asLong()).isEqualTo(1);
            assertThat(admin.post("/admin/api/experts", admin.etag(), Map.of("expert", Map.of("id", "added",
                    "provider", "openai", "baseUrl", SECOND.baseUrl(), "model", "stub-added"))).status()).isEqualTo(200);
            assertThat(admin.put("/admin/api/rules/coding", admin.etag(), Map.of("chain", List.of("added"), "comment", "move"))
                    .status()).isEqualTo(200);
            JsonNode config = admin.get("/admin/api/config").json().path("config");
            assertThat(admin.post("/admin/api/versions", null, Map.of("config", config, "draft", true)).status()).isEqualTo(201);
        }
        // when it starts again on the same store (config/ still says coding -> first)
        try (RouterUnderTest router = RouterUnderTest.start(experts, routing, properties)) {
            AdminClient admin = AdminClient.of(router);
            // then
            JsonNode live = admin.get("/admin/api/config").json();
            assertThat(live.path("version").asLong()).isEqualTo(3);
            assertThat(live.path("author").asText()).isEqualTo(AdminClient.USER);
            assertThat(live.path("comment").asText()).isEqualTo("move");
            JsonNode history = admin.get("/admin/api/versions").json();
            assertThat(history).hasSize(4);
            assertThat(history.get(0).path("status").asText()).isEqualTo("draft");
            assertThat(history.get(3).path("author").asText()).isEqualTo("config/");
            SECOND.reset();
            assertThat(admin.chat(CODING_PROMPT).header("x-coe-expert")).isEqualTo("added");
            assertThat(SECOND.chatRequests()).hasSize(1);
            assertThat(SECOND.chatRequests().getFirst().json().path("model").asText()).isEqualTo("stub-added");
        }
    }
}
