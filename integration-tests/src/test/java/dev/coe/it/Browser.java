package dev.coe.it;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Debian's headless Chromium driven through Debian's chromedriver, both at fixed paths: Selenium is given the driver
 * and the browser binary, so Selenium Manager never runs and nothing is downloaded. Not thread-safe: one per test class.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** Longest wait for the page to show something; a poll, not a sleep. */
    static final Duration WAIT = Duration.ofSeconds(15);

    private final ChromeDriver driver;
    private final ChromeDriverService service;
    private final String baseUrl;

    private Browser(ChromeDriver driver, ChromeDriverService service, String baseUrl) {
        this.driver = driver;
        this.service = service;
        this.baseUrl = baseUrl;
    }

    /** Whether this machine has Debian's {@code chromium} and {@code chromium-driver} ({@code apt-get install}). */
    static boolean installed() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    static Browser open(String baseUrl) {
        // Both the property and the service name the driver: with a driver path, Selenium does not call its manager.
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-default-apps", "--disable-extensions", "--window-size=1440,1000", "--lang=en-GB",
                "--user-data-dir=" + tempDir());
        // The page's console, read back when a wait fails (a script error is the usual cause).
        org.openqa.selenium.logging.LoggingPreferences logs = new org.openqa.selenium.logging.LoggingPreferences();
        logs.enable(org.openqa.selenium.logging.LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        return new Browser(new ChromeDriver(service, options), service, baseUrl);
    }

    private static File tempDir() {
        try {
            return Files.createTempDirectory("coe-it-chromium").toFile();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    WebDriver driver() {
        return driver;
    }

    void get(String path) {
        driver.get(baseUrl + path);
    }

    String path() {
        return driver.getCurrentUrl().substring(baseUrl.length());
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    java.util.List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits until {@code css} matches a displayed element, and returns it. */
    WebElement visible(String css) {
        return until(d -> {
            WebElement e = d.findElements(By.cssSelector(css)).stream().findFirst().orElse(null);
            return e != null && e.isDisplayed() ? e : null;
        });
    }

    /** Waits until the text of {@code css} contains {@code text}, and returns the element. */
    WebElement text(String css, String text) {
        return until(d -> {
            WebElement e = d.findElements(By.cssSelector(css)).stream().findFirst().orElse(null);
            return e != null && e.isDisplayed() && e.getText().contains(text) ? e : null;
        });
    }

    /** Polls until {@code condition} holds; on a timeout, says what the page showed in its message boxes. */
    <T> T until(ExpectedCondition<T> condition) {
        try {
            // The page re-renders as data arrives: an element found a moment ago may be gone; look again.
            return new WebDriverWait(driver, WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(condition);
        } catch (org.openqa.selenium.TimeoutException e) {
            String shown = driver.findElements(By.cssSelector(".problem, .ok")).stream().filter(WebElement::isDisplayed)
                    .map(WebElement::getText).toList().toString();
            throw new org.openqa.selenium.TimeoutException(e.getMessage() + "; at " + driver.getCurrentUrl()
                    + ", messages shown: " + shown + ", console: " + console() + ", page: "
                    + driver.getPageSource().substring(0, Math.min(600, driver.getPageSource().length())), e);
        }
    }

    private List<String> console() {
        try {
            return driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
                    .map(e -> e.getLevel() + " " + e.getMessage()).toList();
        } catch (RuntimeException e) {
            return List.of("(console not available: " + e.getMessage() + ")");
        }
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** Clears the field and types {@code text}. */
    void type(String css, String text) {
        WebElement field = visible(css);
        field.clear();
        field.sendKeys(text);
    }

    byte[] screenshot() {
        return ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
    }
}
