package com.relaycrm.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import com.relaycrm.platform.Role;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Base for console tests in a real browser: the started app (as {@link HttpTestSupport}), headless Debian
 * {@code chromium} driven through {@code chromium-driver} at fixed paths, so Selenium Manager never downloads
 * anything. Without the browser or the driver every test of the class is skipped with one message. Class names
 * end in {@code BrowserTest}.
 */
public abstract class BrowserTestSupport extends HttpTestSupport {

    public static final Path CHROMIUM = Path.of(System.getProperty("relay.chromium", "/usr/bin/chromium"));
    public static final Path CHROMEDRIVER = Path.of(System.getProperty("relay.chromedriver", "/usr/bin/chromedriver"));
    /**
     * Screenshots go to {@code target/screenshots}; with {@code -Drelay.update-screenshots=true} they replace the
     * committed ones in {@code docs/screenshots} that the README shows, so an ordinary test run leaves the checkout
     * clean.
     */
    public static final Path SCREENSHOTS = Boolean.getBoolean("relay.update-screenshots")
            ? Path.of("docs", "screenshots")
            : Path.of("target", "screenshots");

    private final List<WebDriver> browsers = new ArrayList<>();

    @BeforeAll
    static void requireChromium() {
        Assumptions.assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Browser tests skipped: install Debian 'chromium' and 'chromium-driver' (" + CHROMIUM + ", "
                        + CHROMEDRIVER + ")");
    }

    @AfterEach
    void closeBrowsers() {
        browsers.forEach(WebDriver::quit);
        browsers.clear();
    }

    /** A fresh headless browser (its own profile, so its own cookies) with a 1280x900 window. */
    protected WebDriver newBrowser() {
        return newBrowser(1280, 900);
    }

    protected WebDriver newBrowser(int width, int height) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(width, height));
        // The window includes browser chrome even when headless: grow it until the page itself is width x height.
        Long innerHeight = (Long) driver.executeScript("return window.innerHeight");
        Long innerWidth = (Long) driver.executeScript("return window.innerWidth");
        if (innerHeight != null && innerWidth != null && (innerHeight != height || innerWidth != width)) {
            driver.manage().window().setSize(new Dimension((int) (2L * width - innerWidth), (int)
                    (2L * height - innerHeight)));
        }
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        browsers.add(driver);
        return driver;
    }

    /** Issues a token for {@code username} with {@code roles} and returns its secret. */
    protected String tokenFor(String username, Role... roles) {
        String roleList = Arrays.stream(roles).map(r -> "\"" + r.name() + "\"").collect(Collectors.joining(","));
        ApiClient.Response response =
                api.post("/api/v1/tokens", "{\"username\":\"" + username + "\",\"roles\":[" + roleList + "]}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json().get("token").asString();
    }

    protected String url(String path) {
        return "http://localhost:" + port + path;
    }

    /** Opens the sign-in page, pastes {@code token} and waits for the landing page. */
    protected void signIn(WebDriver browser, String token) {
        browser.get(url("/console/signin"));
        browser.findElement(By.id("token")).sendKeys(token);
        browser.findElement(By.cssSelector("form button[type=submit]")).click();
        waitFor(browser)
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid=signed-in-user]")));
    }

    /** Signs in a new browser as a new user with {@code roles}. */
    protected WebDriver signedInBrowser(String username, Role... roles) {
        WebDriver browser = newBrowser();
        signIn(browser, tokenFor(username, roles));
        return browser;
    }

    protected static WebDriverWait waitFor(WebDriver browser) {
        return new WebDriverWait(browser, Duration.ofSeconds(15));
    }

    /** Saves what the browser shows as {@code <SCREENSHOTS>/<page>.png}. */
    protected static Path screenshot(WebDriver browser, String page) {
        try {
            Files.createDirectories(SCREENSHOTS);
            File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
            Path target = SCREENSHOTS.resolve(page + ".png");
            Files.move(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
