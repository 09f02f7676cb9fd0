package dev.nabla.dashboard;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Headless Chromium for the dashboard's browser test: Debian's {@code chromium} and {@code chromium-driver}
 * ({@code run-tests} installs them where it can). Without them the test fails under CI ({@code CI=true}), where the
 * browser test must run, and is skipped with a message elsewhere.
 */
final class Browsers {

    static final String CHROMIUM = System.getProperty("nabla.test.chromium", "/usr/bin/chromium");
    static final String DRIVER = System.getProperty("nabla.test.chromedriver", "/usr/bin/chromedriver");

    private Browsers() {
    }

    /** Fails (CI) or skips (elsewhere) when Chromium or its driver is missing. */
    static void require() {
        if (Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(DRIVER))) return;
        String why = "the browser test needs " + CHROMIUM + " and " + DRIVER
                + " (Debian: apt-get install -y chromium chromium-driver; run-tests installs them as root)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) fail(why);
        Assumptions.abort("skipped: " + why);
    }

    /** A new headless browser with a fresh profile in {@code profile}; the driver runs from its Debian path (no download). */
    static ChromeDriver open(Path profile) throws IOException {
        Files.createDirectories(profile);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1900", "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER))
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
        return driver;
    }
}
