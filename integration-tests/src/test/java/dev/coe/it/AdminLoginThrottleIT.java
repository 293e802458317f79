package dev.coe.it;

import dev.coe.gateway.stub.OpenAiStubServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guessing the admin password over HTTP: after {@code coe.admin.max-failed-logins} failures from one address, its
 * further logins, by HTTP Basic or the login form and with the right password too, get 429 with {@code Retry-After}
 * until the window has passed (the window's expiry is tested with a fake clock in {@code AdminLoginThrottleTest}; this
 * test does not wait a minute). A router of its own: the lockout holds for every test from this address.
 */
class AdminLoginThrottleIT {

    private static final OpenAiStubServer STUB = new OpenAiStubServer();
    private static RouterUnderTest router;

    @BeforeAll
    static void start() {
        router = RouterUnderTest.start("""
                experts:
                  - {id: primary, provider: openai, base-url: %s, model: stub-a}
                """.formatted(STUB.baseUrl()), """
                router-models: [auto]
                fallback-chain: [primary]
                default-threshold: 0.0
                rules: []
                """, AdminClient.routerProperties("coe.admin.max-failed-logins=3",
                "coe.admin.failed-login-window=10m"));
    }

    @AfterAll
    static void stop() {
        router.close();
        STUB.close();
    }

    @Test
    void should_refuse_logins_with_429_when_an_address_has_failed_too_often() throws Exception {
        // given a browser that has the login form (and its CSRF token) open before the guessing starts
        LoginForm login = LoginForm.open(router);
        assertThat(AdminClient.of(router).get("/admin/api/config").status()).as("the right password, before").isEqualTo(200);

        // when three wrong passwords are sent
        for (int i = 0; i < 3; i++) {
            assertThat(AdminClient.withPassword(router, "guess-" + i).get("/admin/api/config").status()).isEqualTo(401);
        }

        // then even the right password is refused, before it is checked, with a problem detail and Retry-After
        AdminClient.Answer refused = AdminClient.of(router).get("/admin/api/config");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.json().path("type").asText()).isEqualTo("urn:coe:problem:too-many-failed-logins");
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 600L);
        // and so is the login form
        assertThat(login.submit(AdminClient.USER, AdminClient.PASSWORD).statusCode()).isEqualTo(429);
        // while requests that log nobody in are not affected
        assertThat(AdminClient.anonymous(router).get("/admin/api/config").status()).isEqualTo(401);
        assertThat(AdminClient.anonymous(router).get("/v1/models").status()).isEqualTo(200);
    }
}
