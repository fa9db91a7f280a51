package io.spew.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven through chromium-driver, with a fresh profile and no network
 * beyond loopback. Missing packages fail the test (never skip it): {@code ./test} installs them.
 */
final class PanelBrowser implements AutoCloseable {
    static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    static final Path DRIVER = Paths.get("/usr/bin/chromedriver");

    final ChromeDriver driver;
    private final ChromeDriverService service;

    PanelBrowser(Path profile) {
        assertThat(Files.isExecutable(CHROMIUM)).as("%s is missing: install chromium (./test installs it as root)",
                CHROMIUM).isTrue();
        assertThat(Files.isExecutable(DRIVER)).as("%s is missing: install chromium-driver (./test installs it as"
                + " root)", DRIVER).isTrue();
        service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1280,900");
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    /** Saves a screenshot as {@code target/panel-screenshots/NAME.png} for people to look at. */
    void screenshot(String name) {
        try {
            Path directory = Files.createDirectories(Paths.get("target", "panel-screenshots"));
            Path file = driver.getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(file, directory.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new AssertionError("cannot save screenshot " + name, e);
        }
    }

    void phoneSize() {
        driver.manage().window().setSize(new Dimension(390, 844));
    }

    void laptopSize() {
        driver.manage().window().setSize(new Dimension(1280, 900));
    }

    /** Fails when a page opened a dialog (an alert run by injected script). */
    void assertNoDialog() {
        try {
            String text = driver.switchTo().alert().getText();
            throw new AssertionError("the page opened a dialog: " + text);
        } catch (NoAlertPresentException expected) {
            // no dialog: nothing ran
        }
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
