package dev.nightshift.web.ui;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.logging.Level;

import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's headless Chromium through Debian's chromedriver, both named explicitly so that Selenium Manager
 * never reaches for the network. The browser's time zone is Tokyo (UTC+9, no daylight saving), so tests can
 * check that times are shown in the reader's zone rather than the server's.
 */
final class Chromium implements AutoCloseable {

	static final String TIME_ZONE = "Asia/Tokyo";
	static final Dimension WINDOW = new Dimension(1440, 1000);

	private final ChromeDriver driver;

	private Chromium(ChromeDriver driver) {
		this.driver = driver;
	}

	static Chromium start() {
		System.setProperty("SE_OFFLINE", "true");
		try {
			Path profile = Files.createTempDirectory("nightshift-chromium");
			ChromeDriverService service = new ChromeDriverService.Builder()
				.usingDriverExecutable(new File(System.getProperty("nightshift.chromedriver", "/usr/bin/chromedriver")))
				.usingAnyFreePort()
				.withEnvironment(Map.of("TZ", TIME_ZONE, "SE_OFFLINE", "true"))
				.build();
			ChromeOptions options = new ChromeOptions();
			options.setBinary(System.getProperty("nightshift.chromium", "/usr/bin/chromium"));
			options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
					"--disable-background-networking", "--disable-component-update", "--disable-default-apps",
					"--disable-extensions", "--disable-sync", "--no-first-run", "--lang=en-GB",
					"--window-size=" + WINDOW.width + "," + WINDOW.height, "--user-data-dir=" + profile);
			// The page's console, so a test can check that a page logged no error.
			LoggingPreferences logs = new LoggingPreferences();
			logs.enable(LogType.BROWSER, Level.ALL);
			options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
			ChromeDriver driver = new ChromeDriver(service, options);
			driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
			driver.manage().window().setSize(WINDOW);
			return new Chromium(driver);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	ChromeDriver driver() {
		return driver;
	}

	@Override
	public void close() {
		driver.quit();
	}
}
