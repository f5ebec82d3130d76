package dev.nightshift.web.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A person at the browser: opens pages, signs in, presses keys, waits for what a page shows (polling with a
 * deadline, never sleeping), and saves screenshots under {@code target/screenshots/} for a reviewer to look at.
 */
final class Browser {

	static final Duration PATIENCE = Duration.ofSeconds(20);
	static final Path SCREENSHOTS = Path.of("target", "screenshots");

	private final ChromeDriver driver;
	private final String base;

	Browser(ChromeDriver driver, String base) {
		this.driver = driver;
		this.base = base;
	}

	/** On the login page with no session. */
	Browser signedOut() {
		driver.get(base + "/login");
		driver.manage().deleteAllCookies();
		driver.get(base + "/login");
		return this;
	}

	Browser signIn(String username, String password) {
		open("/login");
		find("#username").sendKeys(username);
		find("#password").sendKeys(password);
		find("form.login button[type=submit]").click();
		waitFor("header.top .who");
		return this;
	}

	Browser signInAsAdmin() {
		return signIn("admin", "test-admin-password");
	}

	Browser open(String path) {
		driver.get(base + path);
		return this;
	}

	/** The path and query of the page shown, e.g. {@code /experiments/3?sort=objective}. */
	String location() {
		return driver.getCurrentUrl().substring(base.length());
	}

	WebElement find(String css) {
		return driver.findElement(By.cssSelector(css));
	}

	List<WebElement> findAll(String css) {
		return driver.findElements(By.cssSelector(css));
	}

	boolean has(String css) {
		return !findAll(css).isEmpty();
	}

	String text(String css) {
		return find(css).getText();
	}

	WebElement waitFor(String css) {
		return until(d -> {
			List<WebElement> found = d.findElements(By.cssSelector(css));
			return found.isEmpty() ? null : found.get(0);
		});
	}

	/** Waits until the element's text contains {@code text}; answers the element. */
	WebElement waitForText(String css, String text) {
		return until(d -> d.findElements(By.cssSelector(css))
			.stream()
			.filter(e -> e.getText().contains(text))
			.findFirst()
			.orElse(null));
	}

	<T> T until(Function<WebDriver, T> condition) {
		// htmx swaps parts of a page while a condition looks at them: an element gone stale is looked up again.
		return new WebDriverWait(driver, PATIENCE, Duration.ofMillis(100)).ignoring(StaleElementReferenceException.class)
			.until(condition::apply);
	}

	/** Presses keys on the page itself, as a person does with nothing focused. */
	Browser press(CharSequence... keys) {
		new Actions(driver).sendKeys(keys).perform();
		return this;
	}

	/**
	 * Presses the mouse on {@code element} at {@code fromY} pixels from its centre, moves to {@code toY} and lets
	 * go, as a person drags along a chart's axis.
	 */
	Browser drag(WebElement element, int fromY, int toY) {
		new Actions(driver).moveToElement(element, 0, fromY).clickAndHold().moveToElement(element, 0, (fromY + toY) / 2)
			.moveToElement(element, 0, toY).release().perform();
		return this;
	}

	Object script(String script, Object... args) {
		return ((JavascriptExecutor) driver).executeScript(script, args);
	}

	/** Runs a script that calls its last argument, {@code done}, with the answer. */
	Object asyncScript(String script, Object... args) {
		return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
	}

	/**
	 * The errors the browser's console logged since the last call (reading empties the log), as
	 * {@code level message} lines.
	 */
	List<String> consoleErrors() {
		return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
			.filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
			.map(entry -> entry.getLevel() + " " + entry.getMessage())
			.toList();
	}

	WebElement focused() {
		return driver.switchTo().activeElement();
	}

	/** Saves the whole page, not only the window, as {@code target/screenshots/<name>.png}. */
	Path screenshot(String name) {
		Number height = (Number) script("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)");
		Dimension window = driver.manage().window().getSize();
		try {
			driver.manage().window().setSize(new Dimension(window.width, Math.min(6000, height.intValue() + 140)));
			Path file = SCREENSHOTS.resolve(name + ".png");
			Files.createDirectories(SCREENSHOTS);
			Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		finally {
			driver.manage().window().setSize(window);
		}
	}
}
