package dev.nightshift.web.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.nightshift.web.WebIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Issue 11, item 7: 200 wrong passwords went through in 15 seconds, all 401. Tried here against the real
 * server over real HTTP, HTTP Basic and the sign-in form alike; time is moved with the throttle's clock, never
 * waited for.
 */
@WebIntegrationTest
class SignInThrottleTest {

	private static final String RIGHT = "the right password 42";

	@LocalServerPort
	int port;

	@Autowired
	SignInThrottle throttle;

	@Autowired
	Accounts accounts;

	private final MovableClock clock = new MovableClock();
	private final ListAppender<ILoggingEvent> log = new ListAppender<>();
	private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

	@BeforeEach
	void freshThrottleOnAClockOfOurOwn() {
		throttle.forgetAll();
		throttle.useClock(clock);
		log.start();
		root.addAppender(log);
	}

	@AfterEach
	void giveTheOtherTestsTheirAddressBack() {
		root.detachAppender(log);
		throttle.forgetAll();
		throttle.useClock(Clock.systemUTC());
	}

	@Test
	void twoHundredWrongPasswordsAreMostlyRefusedWith429AndTheRightOneWaitsForTheLockToPass() throws Exception {
		String name = account();
		HttpClient http = HttpClient.newHttpClient();
		List<Integer> statuses = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			HttpResponse<String> response = http.send(basic(name, "guess-" + i), HttpResponse.BodyHandlers.ofString());
			statuses.add(response.statusCode());
			if (response.statusCode() == 429) {
				assertThat(Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
				assertThat(response.body()).contains("\"status\":429");
			}
		}
		assertThat(statuses.subList(0, 10)).containsOnly(401);
		assertThat(statuses.subList(10, 200)).containsOnly(429);

		HttpResponse<String> rightDuringTheLock = http.send(basic(name, RIGHT), HttpResponse.BodyHandlers.ofString());
		assertThat(rightDuringTheLock.statusCode()).isEqualTo(429);

		clock.advance(Duration.ofSeconds(61));
		assertThat(http.send(basic(name, RIGHT), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

		// One more failure from this address locks it again, for twice as long.
		assertThat(http.send(basic(name, "again"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
		HttpResponse<String> locked = http.send(basic(name, RIGHT), HttpResponse.BodyHandlers.ofString());
		assertThat(locked.statusCode()).isEqualTo(429);
		assertThat(Long.parseLong(locked.headers().firstValue("Retry-After").orElseThrow())).isBetween(61L, 120L);

		assertThat(log.list).anyMatch(event -> event.getFormattedMessage().contains("Failed sign-in for account '" + name
				+ "' from 127.0.0.1 (10 failures"));
		assertThat(log.list).noneMatch(event -> event.getFormattedMessage().contains("guess-")
				|| event.getFormattedMessage().contains(RIGHT));
	}

	@Test
	void theSignInFormIsThrottledToo() throws Exception {
		String name = account();
		HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
		for (int i = 0; i < 10; i++) {
			HttpResponse<String> response = signIn(browser, name, "form-guess-" + i);
			assertThat(response.statusCode()).isEqualTo(302);
			assertThat(response.headers().firstValue("Location").orElseThrow()).endsWith("/login?error");
		}
		HttpResponse<String> refused = signIn(browser, name, RIGHT);
		assertThat(refused.statusCode()).isEqualTo(429);
		assertThat(refused.headers().firstValue("Retry-After")).isPresent();

		clock.advance(Duration.ofMinutes(2));
		HttpResponse<String> signedIn = signIn(browser, name, RIGHT);
		assertThat(signedIn.statusCode()).isEqualTo(302);
		assertThat(signedIn.headers().firstValue("Location").orElseThrow()).doesNotContain("error");
		assertThat(log.list).noneMatch(event -> event.getFormattedMessage().contains("form-guess-")
				|| event.getFormattedMessage().contains(RIGHT));
	}

	@Test
	void aSuccessClearsTheAccountsCountButNotTheAddresss() throws Exception {
		String name = account();
		HttpClient http = HttpClient.newHttpClient();
		for (int i = 0; i < 9; i++) {
			assertThat(http.send(basic(name, "nine-" + i), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
		}
		assertThat(http.send(basic(name, RIGHT), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
		String other = account();
		// The address has nine failures: a tenth, for any account, locks it.
		assertThat(http.send(basic(other, "tenth"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
		assertThat(http.send(basic(name, RIGHT), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(429);
	}

	private String account() {
		String name = "throttled-" + System.nanoTime();
		accounts.create(name, RIGHT, Role.VIEWER, "system");
		return name;
	}

	private HttpRequest basic(String name, String password) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/experiments"))
			.header("Authorization", "Basic " + Base64.getEncoder()
				.encodeToString((name + ":" + password).getBytes(StandardCharsets.UTF_8)))
			.build();
	}

	/** Reads the form's CSRF token, as a browser would, and posts it with the name and password. */
	private HttpResponse<String> signIn(HttpClient browser, String name, String password) throws Exception {
		String page = browser.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login")).build(),
				HttpResponse.BodyHandlers.ofString()).body();
		Matcher token = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(page);
		assertThat(token.find()).as("a CSRF token in the login page").isTrue();
		String form = "username=" + encode(name) + "&password=" + encode(password) + "&_csrf=" + encode(token.group(1));
		return browser.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	/** A clock the test moves forward. */
	static final class MovableClock extends Clock {

		private volatile Instant now = Instant.now();

		void advance(Duration duration) {
			now = now.plus(duration);
		}

		@Override
		public Instant instant() {
			return now;
		}

		@Override
		public java.time.ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}
	}
}
