package dev.coe.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coe.gateway.stub.OpenAiStubServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The dashboard at {@code /admin} of the real router, driven in Debian's headless Chromium: the login page for a
 * browser without a session, logging in, editing a rule and seeing the explain box route to the new expert, rolling
 * back, a 422 and a 409 shown to the operator, markup in a category description rendered inert, and the live view
 * refreshing by itself. Skipped (not failed) on a machine without {@code /usr/bin/chromium} and
 * {@code /usr/bin/chromedriver}; {@code .ci/run} installs them.
 * <p>
 * Screenshots of the main pages go to {@code target/dashboard-screenshots/}, and to the directory named by the system
 * property {@code dashboard.screenshots} when it is set (how {@code docs/screenshots/} is refreshed, see the README).
 * <pre>
 *   primary   -> PRIMARY stub     coding and the fallback chain at start
 *   secondary -> SECONDARY stub   math at start; the expert the tests move coding to
 * </pre>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {

    private static final String CODING_PROMPT = "Write a Python function that reverses a linked list, with unit tests.";
    private static final String XSS = "<img src=x onerror=alert(1)><script>window.__coeXss = 1</script>";
    private static final OpenAiStubServer PRIMARY = new OpenAiStubServer();
    private static final OpenAiStubServer SECONDARY = new OpenAiStubServer();

    private static RouterUnderTest router;
    private static AdminClient admin;
    private static Browser browser;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(Browser.installed(),
                "Debian's chromium and chromium-driver are not installed (apt-get install -y chromium chromium-driver)");
        router = RouterUnderTest.start("""
                experts:
                  - {id: primary,   provider: openai, base-url: %s, model: stub-a, description: "the stub every test starts on"}
                  - {id: secondary, provider: openai, base-url: %s, model: stub-b}
                """.formatted(PRIMARY.baseUrl(), SECONDARY.baseUrl()), """
                router-models: [auto]
                fallback-chain: [primary]
                default-threshold: 0.0
                rules:
                  - {category: coding, chain: [primary]}
                  - {category: math,   chain: [secondary, primary]}
                """, AdminClient.routerProperties("coe.admin.log-prompts=true"));
        admin = AdminClient.of(router);
        browser = Browser.open(router.baseUrl());
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (router != null) {
            router.close();
        }
        PRIMARY.close();
        SECONDARY.close();
    }

    @BeforeEach
    void codingGoesToPrimary() {
        AdminClient.Answer rule = admin.get("/admin/api/rules/coding");
        if (!rule.json().path("chain").toString().equals("[\"primary\"]")) {
            assertThat(admin.put("/admin/api/rules/coding", "*", Map.of("chain", List.of("primary"))).status()).isEqualTo(200);
        }
    }

    @Test
    @Order(1)
    void should_show_the_login_page_when_a_browser_opens_admin_without_a_session() {
        // given
        browser.driver().manage().deleteAllCookies();
        // when
        browser.get("/admin");
        // then
        browser.until(d -> browser.path().startsWith("/login"));
        assertThat(browser.find("form input[name=username]").isDisplayed()).isTrue();
        assertThat(browser.find("form input[name=password]").isDisplayed()).isTrue();
        assertThat(browser.findAll("#rules-table")).isEmpty();
    }

    @Test
    @Order(2)
    void should_open_the_dashboard_when_logging_in() {
        // when
        logIn();
        // then
        assertThat(browser.path()).startsWith("/admin");
        assertThat(browser.text("#user", AdminClient.USER).getText()).isEqualTo(AdminClient.USER);
        assertThat(browser.visible("#live-version").getText()).startsWith("live version ");
    }

    @Test
    @Order(3)
    void should_route_to_the_new_expert_in_explain_when_a_rule_is_edited_then_back_when_rolled_back() {
        // given
        logIn();
        long before = liveVersion();
        // when: coding -> [secondary], edited in the rules editor
        openSection("rules");
        browser.visible("#rules-table tr[data-category=coding] button.edit").click();
        browser.visible("#chain-list li[data-expert=primary] button.remove").click();
        new Select(browser.visible("#add-expert")).selectByValue("secondary");
        browser.find("#add-expert-btn").click();
        browser.type("#edit-comment", "coding to secondary");
        browser.find("#save-live").click();
        // then
        browser.text("#editor-ok", "version " + (before + 1) + " is live");
        assertThat(browser.text("#rules-table tr[data-category=coding]", "secondary").getText()).doesNotContain("primary");
        assertThat(admin.get("/admin/api/rules/coding").json().path("chain").toString()).isEqualTo("[\"secondary\"]");
        assertThat(explain(CODING_PROMPT, null)).isEqualTo("secondary");
        assertThat(admin.chat(CODING_PROMPT).header("x-coe-expert")).isEqualTo("secondary");

        // when: roll back to the version before the edit, from the history
        openSection("history");
        browser.visible("#versions tr[data-version='" + before + "']").click();
        browser.text("#diff", "categories[coding].chain");
        browser.text("#rollback", "Roll back to version " + before).click();
        // then: a new version with the old configuration
        browser.text("#history-ok", "Version " + (before + 2) + " is live");
        assertThat(browser.visible("#versions tr[data-version='" + (before + 2) + "']").getText()).contains("live");
        assertThat(admin.get("/admin/api/rules/coding").json().path("chain").toString()).isEqualTo("[\"primary\"]");
        assertThat(explain(CODING_PROMPT, null)).isEqualTo("primary");
    }

    @Test
    @Order(4)
    void should_render_markup_in_a_category_description_as_plain_text() {
        // given
        logIn();
        openSection("rules");
        browser.visible("#rules-table tr[data-category=coding] button.edit").click();
        // when: an operator (or anyone who can write the config) puts markup in a description
        browser.type("#edit-description", XSS);
        browser.type("#edit-comment", XSS);
        browser.find("#save-live").click();
        browser.visible("#editor-ok");
        // then: shown literally, in the rules table and in the history, and nothing ran
        WebElement cell = browser.text("#rules-table tr[data-category=coding] td.description", "<img src=x onerror=alert(1)>");
        assertThat(cell.getText()).isEqualTo(XSS);
        assertThat(browser.findAll("#rules-table img, #rules-table script")).isEmpty();
        openSection("history");
        browser.text("#versions tbody", "<script>");
        browser.visible("#versions tbody tr").click();
        browser.text("#diff", "<img src=x onerror=alert(1)>");
        assertThat(browser.findAll("main img, main script")).isEmpty();
        assertThatThrownBy(() -> browser.driver().switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        assertThat(browser.script("return window.__coeXss === undefined")).isEqualTo(true);
        // Nothing slipped into the DOM through any other section either.
        openSection("rules");
        assertThat(browser.findAll("img, body script:not([src])")).isEmpty();
    }

    @Test
    @Order(5)
    void should_show_the_field_error_when_a_threshold_is_out_of_range() {
        // given
        logIn();
        openSection("rules");
        browser.visible("#rules-table tr[data-category=coding] button.edit").click();
        // when
        browser.type("#edit-threshold", "1.5");
        browser.find("#save-live").click();
        // then
        WebElement error = browser.visible("#editor-problem li[data-code=threshold_out_of_range]");
        assertThat(error.getText()).contains("categories[coding].threshold");
        assertThat(browser.find("#editor-problem").getText()).contains("422");
        assertThat(admin.get("/admin/api/categories/coding").json().path("threshold").isNull()).isTrue();
    }

    @Test
    @Order(6)
    void should_report_a_stale_edit_and_keep_it_when_the_configuration_changed_meanwhile() {
        // given: the editor is open on the live version, then someone else changes it
        logIn();
        openSection("rules");
        browser.visible("#rules-table tr[data-category=coding] button.edit").click();
        browser.type("#edit-description", "edited in the browser");
        long other = admin.put("/admin/api/rules/math", "*", Map.of("chain", List.of("primary"), "comment", "someone else"))
                .json().path("number").asLong();
        // when
        browser.find("#save-live").click();
        // then: 409, nothing saved
        browser.text("#editor-problem", "409");
        assertThat(browser.find("#editor-problem").getText()).contains("version " + other);
        assertThat(admin.get("/admin/api/categories/coding").json().path("description").asText()).isNotEqualTo("edited in the browser");
        // when: reload, the form keeps the edit, save again
        browser.find("#editor-problem button.reload").click();
        browser.text("#editor-ok", "version " + other + " is live");
        assertThat(browser.find("#edit-description").getAttribute("value")).isEqualTo("edited in the browser");
        browser.find("#save-live").click();
        // then: both changes are live
        browser.text("#editor-ok", "version " + (other + 1) + " is live");
        assertThat(admin.get("/admin/api/categories/coding").json().path("description").asText()).isEqualTo("edited in the browser");
        assertThat(admin.get("/admin/api/rules/math").json().path("chain").toString()).isEqualTo("[\"primary\"]");
    }

    @Test
    @Order(7)
    void should_show_the_chain_under_a_draft_when_the_explain_box_compares_with_it() {
        // given: a draft that sends coding to secondary first
        logIn();
        long draft = saveCodingDraft();
        // when
        String live = explain(CODING_PROMPT, draft);
        // then
        assertThat(live).isEqualTo("primary");
        assertThat(browser.findAll("#explain-candidate-chain .chip")).extracting(WebElement::getText)
                .containsExactly("secondary", "primary");
        assertThat(browser.find("#explain-candidate-version").getText()).contains(draft + " (draft)");
        assertThat(admin.get("/admin/api/rules/coding").json().path("chain").toString()).isEqualTo("[\"primary\"]");
    }

    @Test
    @Order(8)
    void should_refresh_the_live_view_by_itself_when_requests_arrive() {
        // given
        logIn();
        openSection("live");
        browser.visible("#live-experts .card[data-expert=primary]");
        // when: a request arrives after the page was loaded
        String requestId = admin.chat(CODING_PROMPT).header("x-request-id");
        // then: it shows up without a reload, with its prompt (log-prompts is on for this router)
        WebElement row = browser.visible("#live-decisions tr[data-request='" + requestId + "']");
        assertThat(row.getText()).contains("coding", "primary", "200", "linked list");
        assertThat(browser.script("return Chart.getChart(document.querySelector('#chart-categories')).data.datasets"
                + ".some(d => d.label === 'coding' && d.data.some(n => n > 0))")).isEqualTo(true);
        assertThat(browser.find("#live-experts .card[data-expert=primary]").getText()).contains("CLOSED", "0 / ");
    }

    @Test
    @Order(9)
    void should_add_edit_and_remove_an_expert_when_the_operator_uses_the_experts_form() {
        // given
        logIn();
        openSection("experts");
        // when an expert is added through the form
        browser.visible("#expert-add").click();
        browser.visible("#expert-editor");
        browser.type("#expert-id", "browser-added");
        browser.script("document.querySelector('#expert-provider').value = 'simulated'");
        browser.type("#expert-model", "sim-1");
        browser.type("#expert-description", XSS);
        browser.type("#expert-advanced", "{\"resilience\": {\"bulkhead\": {\"maxConcurrentCalls\": 3}}}");
        browser.type("#expert-comment", "added from the browser");
        browser.find("#expert-save").click();
        // then it is listed, with its settings, and its description is inert text
        WebElement row = browser.text("#experts-table tr[data-expert=browser-added]", "sim-1");
        assertThat(row.getText()).contains("<img src=x onerror=alert(1)>", "3");
        assertThat(browser.findAll("#experts-table img, #experts-table script")).isEmpty();
        assertThat(admin.get("/admin/api/experts/browser-added").json().path("resilience").path("bulkhead")
                .path("maxConcurrentCalls").asInt()).isEqualTo(3);

        // when it is edited
        browser.visible("#experts-table tr[data-expert=browser-added] button.edit").click();
        browser.until(d -> "sim-1".equals(browser.find("#expert-model").getDomProperty("value")));
        browser.type("#expert-model", "sim-2");
        browser.find("#expert-save").click();
        // then
        browser.text("#experts-table tr[data-expert=browser-added]", "sim-2");
        assertThat(admin.get("/admin/api/experts/browser-added/definition").json().path("resilience").path("bulkhead")
                .path("maxConcurrentCalls").asInt()).as("advanced settings kept through the edit").isEqualTo(3);

        // and a bad value shows the field error and saves nothing
        browser.visible("#experts-table tr[data-expert=browser-added] button.edit").click();
        browser.until(d -> "sim-2".equals(browser.find("#expert-model").getDomProperty("value")));
        browser.type("#expert-request-timeout", "soon");
        browser.find("#expert-save").click();
        assertThat(browser.visible("#expert-editor-problem li[data-code=invalid_expert]").getText()).contains("request-timeout");
        browser.find("#expert-cancel").click();

        // and it is removed
        browser.script("window.confirm = () => true");
        browser.visible("#experts-table tr[data-expert=browser-added] button.remove").click();
        browser.until(d -> browser.findAll("#experts-table tr[data-expert=browser-added]").isEmpty());
        assertThat(admin.get("/admin/api/experts/browser-added").status()).isEqualTo(404);
    }

    @Test
    @Order(10)
    void should_show_a_new_api_key_once_and_revoke_it_when_the_operator_uses_the_keys_page() {
        // given
        logIn();
        openSection("keys");
        // when a key is created
        browser.type("#key-name", "browser-team");
        browser.type("#key-models", "auto");
        browser.type("#key-rpm", "60");
        browser.type("#key-tpm", "40000");
        // a date picker's keys differ by locale; its value does not
        browser.script("document.querySelector('#key-expires').value = '2030-01-02T03:04'");
        browser.find("#key-create").click();
        // then its secret is shown once, and the table lists it without the secret
        String secret = browser.visible("#key-secret").getText();
        assertThat(secret).startsWith("sk-coe-");
        WebElement row = browser.text("#keys-table tbody", "browser-team");
        assertThat(row.getText()).contains("auto", "60", "40000", "active", "2030").doesNotContain(secret);
        assertThat(admin.get("/admin/api/keys").json().findValues("tokensPerMinute")).anyMatch(n -> n.asInt() == 40000);
        assertThat(admin.get("/admin/api/keys").json().findValuesAsText("expiresAt")).anyMatch(at -> at.startsWith("2030-01-0"));
        // and when it is revoked
        browser.script("window.confirm = () => true");
        browser.visible("#keys-table tr[data-status=active] button.revoke").click();
        browser.visible("#keys-table tr[data-status=revoked]");
        assertThat(admin.get("/admin/api/keys").json().findValuesAsText("status")).contains("revoked");
    }

    @Test
    @Order(11)
    void should_save_screenshots_of_the_main_pages() throws IOException {
        // given: some traffic (one answer from the cache), a draft, math back on its two-expert chain
        logIn();
        admin.put("/admin/api/rules/math", "*", Map.of("chain", List.of("secondary", "primary"), "comment", "math to secondary"));
        Map<String, Object> greedy = Map.of("model", "auto", "temperature", 0,
                "messages", List.of(Map.of("role", "user", "content", "Write a haiku about routers.")));
        admin.post("/v1/chat/completions", null, greedy);
        admin.post("/v1/chat/completions", null, greedy);
        for (String prompt : List.of(CODING_PROMPT, "What is the integral of x^2 from 0 to 3?",
                "Write a short poem about the sea.", "Solve 3x + 5 = 20 for x.", "Fix this SQL: SELECT * FORM users;")) {
            admin.chat(prompt);
        }
        long draft = saveCodingDraft();
        // when / then
        openSection("live");
        browser.visible("#live-decisions tbody tr");
        browser.until(d -> browser.script("return Chart.getChart(document.querySelector('#chart-experts')).data.datasets.length > 0"));
        save("live-view.png");
        openSection("rules");
        browser.visible("#rules-table tr[data-category=coding] button.edit").click();
        browser.visible("#chain-list li[data-expert=primary]");
        save("rules-editor.png");
        openSection("history");
        browser.visible("#versions tr[data-version='" + draft + "']").click();
        browser.text("#rollback", "Apply draft " + draft);
        save("history-diff.png");
        explain(CODING_PROMPT, draft);
        browser.visible("#explain-candidate-chain");
        save("explain.png");
        openSection("experts");
        browser.visible("#experts-table tr[data-expert=secondary]");
        browser.visible("#experts-table tr[data-expert=secondary] button.edit").click();
        browser.until(d -> !browser.find("#expert-model").getDomProperty("value").isEmpty());
        save("experts.png");
        openSection("keys");
        browser.visible("#keys-table tbody tr");
        save("keys.png");
    }

    private static void logIn() {
        browser.get("/admin");
        if (browser.path().startsWith("/login")) {
            browser.type("input[name=username]", AdminClient.USER);
            browser.type("input[name=password]", AdminClient.PASSWORD);
            browser.find("form button[type=submit], form input[type=submit]").click();
            browser.until(d -> browser.path().startsWith("/admin"));
        }
        browser.until(d -> "true".equals(browser.find("body").getAttribute("data-ready")));
    }

    private static long liveVersion() {
        return admin.get("/admin/api/config").json().path("version").asLong();
    }

    private static void openSection(String name) {
        browser.visible("#tab-" + name).click();
        browser.visible("section#" + name);
    }

    /** Runs the explain box on {@code prompt} (against {@code version} too, when not null); the live chain's first expert. */
    private static String explain(String prompt, Long version) {
        openSection("explain");
        browser.until(d -> version == null || !browser.findAll("#explain-version option[value='" + version + "']").isEmpty());
        new Select(browser.find("#explain-version")).selectByValue(version == null ? "" : version.toString());
        browser.type("#explain-prompt", prompt);
        browser.script("document.querySelector('#explain-result').hidden = true;"
                + "document.querySelector('#explain-live-chain').replaceChildren()");
        browser.find("#explain-run").click();
        WebElement first = browser.visible("#explain-live-chain .chip");
        assertThat(browser.find("#explain-category").getText()).isEqualTo("coding");
        return first.getText();
    }

    private static long saveCodingDraft() {
        JsonNode config = admin.get("/admin/api/config").json().path("config");
        for (JsonNode c : config.path("categories")) {
            if (c.path("id").asText().equals("coding")) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) c).putArray("chain").add("secondary").add("primary");
            }
        }
        AdminClient.Answer saved = admin.post("/admin/api/versions", null,
                Map.of("config", config, "comment", "try secondary first for coding", "draft", true));
        assertThat(saved.status()).isEqualTo(201);
        return saved.json().path("number").asLong();
    }

    /** Saves a screenshot of the whole page (up to 2400 px high), the window grown to fit it for the shot. */
    private static void save(String name) throws IOException {
        org.openqa.selenium.Dimension window = browser.driver().manage().window().getSize();
        // The window's own frame takes part of its height: add it, so that the page fits the viewport.
        long height = (Long) browser.script("return Math.min(2400, document.documentElement.scrollHeight)"
                + " + (window.outerHeight - window.innerHeight)");
        browser.driver().manage().window().setSize(new org.openqa.selenium.Dimension(window.getWidth(), (int) Math.max(height, 600)));
        browser.script("window.scrollTo(0, 0)");
        byte[] png = browser.screenshot();
        browser.driver().manage().window().setSize(window);
        Path target = Files.createDirectories(Path.of("target", "dashboard-screenshots"));
        Files.write(target.resolve(name), png);
        String docs = System.getProperty("dashboard.screenshots");
        if (docs != null && !docs.isBlank()) {
            Files.write(Files.createDirectories(Path.of(docs)).resolve(name), png);
        }
    }
}
