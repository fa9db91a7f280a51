package io.spew.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web panel in a real browser (Debian's headless Chromium) against a real daemon: log in with the
 * URL {@code spew panel} prints, see instances, restart one and see its pid change, watch log lines
 * arrive live, restart every instance of an appliance, and see markup in logs and env values as text.
 * Screenshots go to {@code target/panel-screenshots/}.
 */
class PanelBrowserIT extends DaemonProcessTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void logInSeeRestartFollowAndRestartAll() throws IOException {
        Path appliance = temporary.resolve("ticker.yaml");
        Files.writeString(appliance, resource("panel-ticker.yaml"), UTF_8);
        spew.ok("appliance", "apply", appliance.toString());
        spew.ok("run", "ticker");
        spew.ok("run", "ticker");
        String login = spew.ok("panel").stdout().trim();
        assertThat(login).matches("http://127\\.0\\.0\\.1:\\d+/panel/login\\?code=[A-Za-z0-9_-]{43}");
        String base = login.substring(0, login.indexOf("/panel/"));

        try (PanelBrowser browser = new PanelBrowser(temporary.resolve("chromium-profile"))) {
            WebDriver driver = browser.driver;
            WebDriverWait wait = new WebDriverWait(driver, WAIT);

            driver.get(login);
            wait.until(ExpectedConditions.presenceOfElementLocated(By.linkText("ticker-1")));
            assertThat(driver.getCurrentUrl()).isEqualTo(base + "/panel/");
            assertThat(driver.findElement(By.tagName("body")).getText()).contains("ticker-2", "running");
            browser.screenshot("dashboard");
            browser.phoneSize();
            browser.screenshot("dashboard-phone");
            browser.laptopSize();

            // the dashboard follows changes without a reload
            String secondId = spew.instance("ticker-2").get("id").asText();
            spew.ok("stop", "ticker-2");
            wait.until(ExpectedConditions.textToBe(By.cssSelector(
                    "tr[data-instance='" + secondId + "'] [data-field='state']"), "stopped"));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("events"), "ticker-2"));
            spew.ok("start", "ticker-2");

            driver.findElement(By.linkText("ticker-1")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("log")));
            String pid = pid(driver);
            assertThat(pid).isEqualTo(spew.instance("ticker-1").get("pid").asText());

            // log lines arrive live
            wait.until(driver1 -> ticks(driver1) >= 1);
            int seen = ticks(driver);
            wait.until(driver1 -> ticks(driver1) >= seen + 2);
            assertMarkupIsText(browser);
            browser.screenshot("instance");

            driver.findElement(By.cssSelector("button[data-action='restart']")).click();
            wait.until(driver1 -> !pid(driver1).isEmpty() && !pid(driver1).equals(pid));
            assertThat(pid(driver)).isEqualTo(spew.instance("ticker-1").get("pid").asText());
            wait.until(driver1 -> ticks(driver1) >= 2);
            browser.screenshot("instance-restarted");
            browser.phoneSize();
            browser.screenshot("instance-phone");
            browser.laptopSize();

            Map<String, String> before = pids();
            driver.get(base + "/panel/appliances/ticker");
            WebElement restartAll = wait.until(ExpectedConditions.elementToBeClickable(
                    By.cssSelector("button[data-action='restart all (rolling)']")));
            restartAll.click();
            wait.until(ExpectedConditions.stalenessOf(restartAll));
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("button[data-action]")));
            Map<String, String> after = pids();
            assertThat(after.keySet()).containsExactlyInAnyOrder("ticker-1", "ticker-2");
            after.forEach((name, newPid) -> assertThat(newPid).as(name).isNotEqualTo(before.get(name)).isNotEmpty());
            assertThat(driver.findElement(By.tagName("body")).getText()).contains("EVIL_SCRIPT",
                    "<script>alert('env')</script>");
            browser.assertNoDialog();
            browser.screenshot("appliance");
        }
    }

    @Test
    void theDashboardAndTheAppliancePageShowARollLive() throws Exception {
        Path file = temporary.resolve("spew.yaml");
        String environment = """
                appliances:
                  web:
                    runtime: shell
                    command: ["/bin/sh", "-c", "exec sleep 300"]
                    env: { VERSION: "%s" }
                    update: { max_parallel: 2, min_healthy_time: 2s }
                instances: { web: 4 }
                """;
        Files.writeString(file, environment.formatted("1"), UTF_8);
        spew.ok("start", file.toString());
        String login = spew.ok("panel").stdout().trim();
        String base = login.substring(0, login.indexOf("/panel/"));

        try (PanelBrowser browser = new PanelBrowser(temporary.resolve("chromium-profile"))) {
            WebDriver driver = browser.driver;
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
            driver.get(login);
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("rolls"), "No roll yet"));

            Files.writeString(file, environment.formatted("2"), UTF_8);
            SpewProcesses.Background rolling = spew.start("start", file.toString());
            By web = By.cssSelector("#rolls li[data-roll='web']");
            wait.until(ExpectedConditions.textToBePresentInElementLocated(web, "2/4 replaced (web-1, web-2)"));
            assertThat(rolling.process().isAlive()).as("the page shows the roll while it goes on").isTrue();
            assertThat(driver.findElement(web).getText()).contains("version 1 → 2");
            assertThat(driver.findElement(By.cssSelector("#rolls li[data-roll='web'] progress"))
                    .getAttribute("value")).isEqualTo("2");
            browser.screenshot("dashboard-roll");
            wait.until(ExpectedConditions.textToBePresentInElementLocated(web, "done, 4/4"));
            assertThat(driver.findElement(By.id("events")).getText()).contains("roll web version 1 → 2: done, 4/4");
            assertThat(rolling.process().waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            java.util.Set<String> replaced = StreamSupport.stream(spew.json("ps", "--json").spliterator(), false)
                    .map(instance -> instance.get("id").asText()).collect(Collectors.toSet());
            wait.until(driver1 -> rowIds(driver1).equals(replaced));
            browser.screenshot("dashboard-after-roll");

            driver.get(base + "/panel/appliances/web");
            wait.until(ExpectedConditions.textToBePresentInElementLocated(web, "done, 4/4"));
            assertThat(driver.findElement(web).getText()).contains("version 1 → 2");
            browser.screenshot("appliance-roll");

            Map<String, String> running = runningPids();
            WebElement restartAll = wait.until(ExpectedConditions.elementToBeClickable(
                    By.cssSelector("button[data-action='restart all (rolling)']")));
            restartAll.click();
            wait.until(ExpectedConditions.stalenessOf(restartAll));
            wait.until(driver1 -> {
                String roll = driver1.findElement(web).getText();
                return roll.contains("done, 4/4") && roll.contains("version 2") && !roll.contains("→");
            }); // a rolling restart: the same version, done
            Map<String, String> restarted = runningPids();
            assertThat(restarted).containsOnlyKeys("web-1", "web-2", "web-3", "web-4");
            restarted.forEach((name, pid) -> assertThat(pid).as("%s restarted by the roll", name)
                    .isNotEqualTo(running.get(name)).isNotEmpty());
            browser.assertNoDialog();
        }
    }

    /** Log lines and env values holding markup, script URLs and ANSI escapes show as text and run nothing. */
    private static void assertMarkupIsText(PanelBrowser browser) {
        WebDriver driver = browser.driver;
        String log = driver.findElement(By.id("log")).getText();
        assertThat(log).contains("<script>alert(1)</script>", "<img src=x onerror=alert(2)>",
                "<a href=\"javascript:alert(3)\">js</a>", "\u241b[31mred");
        assertThat(driver.findElements(By.cssSelector("pre img, pre a, pre script"))).isEmpty();
        assertThat(driver.findElements(By.tagName("img"))).isEmpty();
        String env = driver.findElement(By.tagName("main")).getText();
        assertThat(env).contains("<script>alert('env')</script>", "<img src=y onerror=alert('env')>",
                "javascript:alert('env')");
        Object requested = browser.driver.executeScript("return performance.getEntriesByType('resource')"
                + ".map(function (entry) { return entry.name; }).filter(function (name) {"
                + " return /\\/(x|y)$/.test(name) || name.indexOf('javascript') >= 0; }).length;");
        assertThat(((Number) requested).intValue()).as("requests made by injected markup").isZero();
        browser.assertNoDialog();
    }

    private static String pid(WebDriver driver) {
        List<WebElement> cells = driver.findElements(By.cssSelector("dl.facts [data-field='pid']"));
        try {
            return cells.isEmpty() ? "" : cells.get(0).getText().trim();
        } catch (org.openqa.selenium.StaleElementReferenceException e) {
            return "";
        }
    }

    private static int ticks(WebDriver driver) {
        try {
            String log = driver.findElement(By.id("log")).getText();
            return log.split("tick ", -1).length - 1;
        } catch (org.openqa.selenium.NoSuchElementException | org.openqa.selenium.StaleElementReferenceException e) {
            return 0;
        }
    }

    /** The instances the page's table shows a row for, by id (the rows the roll replaced without a reload). */
    private static java.util.Set<String> rowIds(WebDriver driver) {
        try {
            return driver.findElements(By.cssSelector("table[data-live=instances] tr[data-instance]")).stream()
                    .map(row -> row.getAttribute("data-instance")).collect(Collectors.toSet());
        } catch (org.openqa.selenium.StaleElementReferenceException e) {
            return java.util.Set.of();
        }
    }

    private Map<String, String> runningPids() {
        return StreamSupport.stream(spew.json("ps", "--json").spliterator(), false)
                .collect(Collectors.toMap(instance -> instance.get("name").asText(),
                        instance -> instance.get("pid").asText()));
    }

    private Map<String, String> pids() {
        return StreamSupport.stream(spew.json("ps", "--all", "--json").spliterator(), false)
                .collect(Collectors.toMap(instance -> instance.get("name").asText(),
                        instance -> instance.get("pid").asText(), (a, b) -> a));
    }

    static String resource(String name) throws IOException {
        try (InputStream in = PanelBrowserIT.class.getResourceAsStream(name)) {
            assertThat(in).as("test resource %s", name).isNotNull();
            return new String(in.readAllBytes(), UTF_8);
        }
    }

}
