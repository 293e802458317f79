package dev.coe.it;

import dev.coe.gateway.stub.OpenAiStubServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's mapping-optimizer page in headless Chromium: it loads a frontier report written by the CLI, places
 * the live mapping on it, and turns a chosen mapping into a draft version (diff previewed, saved, applied) through
 * {@code POST /admin/api/versions/import}. Skipped where Debian's chromium and chromium-driver are missing.
 */
class OptimizerDashboardIT {

    /** A small report in the CLI's format: "small" is as good as "large" in coding at a tenth of the cost. */
    private static final String REPORT = """
            {"suite": "toy-suite", "classifier": "test", "basis": "ACTIVE_PARAMS", "fitItems": 80, "heldOutItems": 20,
             "frontier": [
               {"label": "frontier #1", "mapping": {"coding": "small", "math": "small"}, "fitCost": 7, "fitQuality": 0.5,
                "cost": 7, "quality": {"mean": 0.5, "standardError": 0.1, "count": 20}, "unscored": 0,
                "vsBestSingle": {"mean": -0.3, "standardError": 0.1, "count": 20}},
               {"label": "frontier #2", "mapping": {"coding": "small", "math": "large"}, "fitCost": 32.2, "fitQuality": 0.8,
                "cost": 32.2, "quality": {"mean": 0.8, "standardError": 0.09, "count": 20}, "unscored": 0,
                "vsBestSingle": {"mean": 0.0, "standardError": 0.01, "count": 20}}],
             "singles": [
               {"label": "large", "mapping": {"coding": "large", "math": "large"}, "fitCost": 70, "fitQuality": 0.8,
                "cost": 70, "quality": {"mean": 0.8, "standardError": 0.09, "count": 20}, "unscored": 0, "vsBestSingle": null},
               {"label": "small", "mapping": {"coding": "small", "math": "small"}, "fitCost": 7, "fitQuality": 0.5,
                "cost": 7, "quality": {"mean": 0.5, "standardError": 0.1, "count": 20}, "unscored": 0,
                "vsBestSingle": {"mean": -0.3, "standardError": 0.1, "count": 20}}],
             "bestSingle": {"label": "best single: large", "mapping": {"coding": "large", "math": "large"}, "fitCost": 70,
                "fitQuality": 0.8, "cost": 70, "quality": {"mean": 0.8, "standardError": 0.09, "count": 20}, "unscored": 0,
                "vsBestSingle": null},
             "budgets": {"<= 50% of best single (35.00)": {"label": "<= 50% of best single (35.00)",
                "mapping": {"coding": "small", "math": "large"}, "fitCost": 32.2, "fitQuality": 0.8, "cost": 32.2,
                "quality": {"mean": 0.8, "standardError": 0.09, "count": 20}, "unscored": 0,
                "vsBestSingle": {"mean": 0.0, "standardError": 0.01, "count": 20}}},
             "knownCategories": {}, "excluded": {}, "shrinkage": 0, "shrinkageCv": {},
             "shares": {"coding": 0.6, "math": 0.4},
             "cells": {"coding": {"large": {"mean": 0.8, "standardError": 0.1, "count": 48},
                                  "small": {"mean": 0.8, "standardError": 0.1, "count": 48}},
                       "math": {"large": {"mean": 0.8, "standardError": 0.1, "count": 32},
                                "small": {"mean": 0.05, "standardError": 0.1, "count": 32}}}}
            """;
    private static final OpenAiStubServer STUB = new OpenAiStubServer();

    private static RouterUnderTest router;
    private static AdminClient admin;
    private static Browser browser;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(Browser.installed(),
                "Debian's chromium and chromium-driver are not installed (apt-get install -y chromium chromium-driver)");
        router = RouterUnderTest.start("""
                experts:
                  - {id: small, provider: openai, base-url: %s, model: stub-a}
                  - {id: large, provider: openai, base-url: %s, model: stub-b}
                """.formatted(STUB.baseUrl(), STUB.baseUrl()), """
                router-models: [auto]
                fallback-chain: [large]
                default-threshold: 0.0
                rules:
                  - {category: coding, chain: [large]}
                """, AdminClient.routerProperties());
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
        STUB.close();
    }

    @Test
    void should_turn_a_frontier_point_into_a_draft_and_apply_it_when_the_operator_chooses_it() throws Exception {
        // given: logged in, on the optimizer page, with the CLI's report loaded
        logIn();
        browser.get("/admin/optimizer.html");
        browser.until(d -> "true".equals(browser.find("body").getAttribute("data-ready")));
        Path report = Files.createTempFile("frontier", ".json");
        Files.writeString(report, REPORT);
        browser.find("#opt-file").sendKeys(report.toAbsolutePath().toString());
        browser.text("#opt-summary", "toy-suite");
        // the live mapping (large everywhere) is placed from the report's table
        browser.text("#opt-live-note", "fitting-split table");
        assertThat(browser.findAll("#opt-points tbody tr")).hasSize(4);

        // when: the budget answer is selected and previewed
        WebElement budgetRow = browser.findAll("#opt-points tbody tr").stream()
                .filter(r -> r.getText().contains("50% of best single")).findFirst().orElseThrow();
        budgetRow.findElement(By.tagName("button")).click();
        browser.text("#opt-selected-label", "50% of best single");
        browser.find("#opt-preview").click();

        // then: the diff against live, nothing saved
        browser.text("#opt-diff-title", "Would change");
        assertThat(browser.find("#opt-diff-rows").getText()).contains("categories[coding].chain");
        long liveBefore = admin.get("/admin/api/config").json().path("version").asLong();
        assertThat(admin.get("/admin/api/versions").json()).hasSize((int) liveBefore);

        // and when saved as a draft and applied
        browser.find("#opt-draft").click();
        browser.text("#opt-diff-title", "Draft version");
        browser.visible("#opt-apply").click();
        browser.text("#opt-problem", "is live as version");

        // then coding goes to the small expert first, the large one behind it
        assertThat(admin.get("/admin/api/rules/coding").json().path("chain").toString()).isEqualTo("[\"small\",\"large\"]");
        assertThat(admin.get("/admin/api/config").json().path("version").asLong()).isEqualTo(liveBefore + 2);
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
}
