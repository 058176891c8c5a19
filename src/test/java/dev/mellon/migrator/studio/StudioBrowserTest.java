package dev.mellon.migrator.studio;

import dev.mellon.migrator.testing.Prerequisites;
import dev.mellon.migrator.testing.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The studio in headless Chromium (Debian's chromium and chromium-driver), against the running test service and its
 * real PostgreSQL: tables, a table's rows (page forward, sort, filter, a bad value, an FK link), the diagram, a
 * migration's SQL, drift after a hand-made ALTER TABLE, and the apply preview. Saves one screenshot per page into
 * {@code docs/}, and on failure a screenshot and the page source into {@code target/}. Skipped with a message when
 * chromium is missing, failed instead under {@code CI=true}.
 */
@QuarkusTest
@org.junit.jupiter.api.TestInstance(org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS)
class StudioBrowserTest {

    @org.junit.jupiter.api.AfterAll
    void dropFixture() throws Exception {
        StudioFixture.drop(pool);
    }

    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @Inject
    AgroalDataSource pool;

    @TestHTTPResource("/studio/")
    URL studio;

    private WebDriver driver;
    private WebDriverWait wait;
    private Path profile;
    private Runnable cleanup = () -> { };

    @BeforeEach
    void start() throws Exception {
        Prerequisites.require(Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM),
                "The studio's browser test needs Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER
                        + "): apt-get install -y chromium chromium-driver");
        StudioFixture.create(pool);
        profile = Files.createTempDirectory("studio-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,800", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        // Pages re-render after every navigation: an element found a moment ago may be gone.
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).ignoring(IndexOutOfBoundsException.class);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            cleanup.run();
        } finally {
            if (driver != null) {
                driver.quit();
            }
            if (profile != null) {
                try (var files = Files.walk(profile)) {
                    files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
                }
            }
        }
    }

    @Test
    void browsesTablesRowsDiagramMigrationsDriftAndApply() throws Exception {
        String step = "start";
        try {
            step = "sign in";
            driver.get(studio.toString());
            WebElement token = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
            token.sendKeys(TestTokens.ADMIN);
            driver.findElement(By.id("token-submit")).click();

            step = "tables";
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("tables")));
            driver.findElement(By.id("table-search")).sendKeys("studio_test");
            screenshot("tables");
            driver.findElement(By.xpath("//table[@id='tables']//a[text()='authors']")).click();

            step = "table";
            waitForFirstCell("1");
            assertTrue(driver.findElement(By.id("columns")).getText().contains("integer"));
            ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(
                    "document.getElementById('rows-section').scrollIntoView()");
            screenshot("table");

            step = "page forward";
            driver.findElement(By.id("page-next")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("page-number"), "Page 2"));
            waitForFirstCell("51");

            step = "sort";
            driver.findElement(By.cssSelector("button.sort[data-column='age']")).click();
            wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("th[aria-sort=ascending] button[data-column='age']"))).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("th[aria-sort=descending] button[data-column='age']")));
            assertTrue(driver.getCurrentUrl().contains("sort=age") && driver.getCurrentUrl().contains("dir=desc"), driver.getCurrentUrl());
            wait.until(d -> cell(0, 3).equals("67"));

            step = "filter";
            new Select(driver.findElement(By.id("filter-column"))).selectByValue("name");
            new Select(driver.findElement(By.id("filter-op"))).selectByValue("contains");
            driver.findElement(By.id("filter-value")).sendKeys("%_");
            driver.findElement(By.id("filter-add")).click();
            wait.until(d -> d.findElements(By.cssSelector("#rows tbody tr")).size() == 1 && cell(0, 1).equals("100%_sure"));

            step = "bad filter value";
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".chips")));
            new Select(driver.findElement(By.id("filter-column"))).selectByValue("age");
            new Select(driver.findElement(By.id("filter-op"))).selectByValue("eq");
            driver.findElement(By.id("filter-value")).sendKeys("not-a-number");
            driver.findElement(By.id("filter-add")).click();
            WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#rows-result [role=alert]")));
            assertTrue(error.getText().contains("\"age\""), error.getText());

            step = "foreign key link";
            driver.get(studio + "#/table/studio_test/books");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#rows a.fk-value")));
            WebElement fk = driver.findElement(By.cssSelector("#rows a.fk-value"));
            String authorId = fk.getText();
            fk.click();
            wait.until(d -> d.getCurrentUrl().contains("/authors") && d.findElements(By.cssSelector("#rows tbody tr")).size() == 1);
            assertEquals(authorId, cell(0, 0));

            step = "diagram";
            driver.get(studio + "#/diagram?schema=studio_test");
            wait.until(d -> d.findElements(By.cssSelector("#diagram a.er-table")).size() >= 4);
            assertTrue(driver.findElements(By.cssSelector("#diagram path.er-edge")).size() >= 1, "the books → authors edge");
            driver.findElement(By.id("zoom-in")).click();
            assertEquals("1.25", driver.findElement(By.id("diagram")).getAttribute("data-scale"));
            driver.findElement(By.id("zoom-reset")).click();
            screenshot("diagram");

            step = "migrations";
            driver.get(studio + "#/migrations");
            wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("button.sql-toggle[data-tag='0000_create_users']"))).click();
            wait.until(d -> d.findElements(By.cssSelector("#timeline pre.sql .tok-keyword")).size() > 0);
            assertTrue(driver.findElement(By.cssSelector("#timeline pre.sql")).getText().contains("CREATE TABLE"));
            screenshot("migrations");

            step = "drift";
            driftByHand();
            driver.get(studio + "#/drift");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("drift-status")));
            wait.until(d -> d.findElement(By.id("drift-groups")).getText().contains("studio_probe"));
            screenshot("drift");

            step = "apply preview";
            driver.get(studio + "#/apply");
            wait.until(ExpectedConditions.elementToBeClickable(By.id("apply-preview"))).click();
            // dry-run when entries are pending, up-to-date when another test applied them already: nothing runs either way.
            wait.until(d -> d.findElement(By.id("apply-result")).getText().matches("(?s).*(dry-run|up-to-date).*"));
            screenshot("apply");
            if (driver.findElement(By.id("apply-run")).isEnabled()) {
                // Entries are pending: apply them, following the live progress of the event stream to the result.
                driver.findElement(By.id("apply-run")).click();
                wait.until(ExpectedConditions.alertIsPresent()).accept();
                wait.until(d -> d.findElement(By.id("apply-result")).getText().matches("(?s).*\\bapplied\\b.*"));
                assertTrue(driver.findElement(By.id("apply-result")).getText().contains("0000_create_users"),
                        driver.findElement(By.id("apply-result")).getText());
            }

            step = "narrow screen";
            driver.manage().window().setSize(new Dimension(420, 800));
            driver.get(studio + "#/table/studio_test/authors");
            waitForFirstCell("1");
            screenshot("narrow");
        } catch (Throwable failure) {
            saveFailure(step);
            throw new AssertionError("Studio browser test failed at step \"" + step + "\" (screenshot in target/): "
                    + failure.getMessage(), failure);
        }
    }

    /** ALTER TABLE by hand on a table the history knows: users when the migrations are applied, else a table of our own. */
    private void driftByHand() throws Exception {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            boolean users;
            try (ResultSet rs = statement.executeQuery("SELECT to_regclass('public.users') IS NOT NULL")) {
                users = rs.next() && rs.getBoolean(1);
            }
            if (users) {
                statement.execute("ALTER TABLE public.users ADD COLUMN studio_probe text");
                cleanup = () -> sql("ALTER TABLE public.users DROP COLUMN IF EXISTS studio_probe");
            } else {
                statement.execute("CREATE TABLE public.studio_probe (id integer)");
                statement.execute("ALTER TABLE public.studio_probe ADD COLUMN studio_probe text");
                cleanup = () -> sql("DROP TABLE IF EXISTS public.studio_probe");
            }
        }
    }

    private void sql(String text) {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void waitForFirstCell(String expected) {
        wait.until(d -> {
            try {
                return cell(0, 0).equals(expected);
            } catch (RuntimeException e) {
                return false;
            }
        });
    }

    private String cell(int row, int column) {
        List<WebElement> rows = driver.findElements(By.cssSelector("#rows tbody tr"));
        return rows.get(row).findElements(By.tagName("td")).get(column).getText();
    }

    private void screenshot(String page) throws Exception {
        Path target = Path.of("docs", "studio-" + page + ".png");
        Files.createDirectories(target.getParent());
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }

    private void saveFailure(String step) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "studio-failures"));
            String name = step.replaceAll("[^a-z0-9]+", "-");
            File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(dir.resolve(name + ".html"), driver.getPageSource());
        } catch (Exception e) {
            System.err.println("Could not save the failure screenshot: " + e);
        }
    }
}
