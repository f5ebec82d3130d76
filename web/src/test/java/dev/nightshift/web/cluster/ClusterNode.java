package dev.nightshift.web.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.nightshift.NightshiftApplication;
import dev.nightshift.experiments.cluster.ServerIdentity;
import dev.nightshift.testsupport.TestDatabase;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One Nightshift server as a Spring application of its own in the test's JVM: its own home and port, the
 * database every node of the test shares. Spoken to over HTTP as the admin, as a person would.
 */
final class ClusterNode implements AutoCloseable {

	private static final JsonMapper json = JsonMapper.builder().build();
	private static final HttpClient http = HttpClient.newHttpClient();

	private final String name;
	private final ConfigurableApplicationContext context;
	private final int port;

	private ClusterNode(String name, ConfigurableApplicationContext context) {
		this.name = name;
		this.context = context;
		this.port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
	}

	/** Starts a server on {@code home} against {@code db}; returns once it serves requests. */
	static ClusterNode start(String name, Path home, TestDatabase.Connection db, Path sources, Map<String, String> settings) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("server.port", "0");
		properties.put("nightshift.home", home.toString());
		properties.put("spring.datasource.url", db.url());
		properties.put("spring.datasource.username", db.username());
		properties.put("spring.datasource.password", db.password());
		properties.put("nightshift.demo.enabled", "false");
		properties.put("nightshift.sources.allowed-roots", sources.toString());
		properties.put("nightshift.scheduler.nvidia-smi", "false");
		properties.put("spring.main.banner-mode", "off");
		properties.putAll(settings);
		// As command-line arguments, which win over every file the application reads its settings from.
		String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
		ConfigurableApplicationContext context = new SpringApplicationBuilder(NightshiftApplication.class).run(args);
		return new ClusterNode(name, context);
	}

	String name() {
		return name;
	}

	/** The server's id, as its runs and loops record it. */
	String serverId() {
		return context.getBean(ServerIdentity.class).id();
	}

	/** The id of the server's Quartz scheduler, as the database's {@code qrtz_scheduler_state} records it. */
	String schedulerId() throws SchedulerException {
		return context.getBean(Scheduler.class).getSchedulerInstanceId();
	}

	JsonNode get(String path) throws Exception {
		return send("GET", path, null, null);
	}

	/** The body of a GET as text; fails on a status of 300 or more. */
	String text(String path) throws Exception {
		HttpResponse<String> response = http.send(request("GET", path, null, null).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(name + ": GET " + path + ": " + response.body()).isLessThan(300);
		return response.body();
	}

	/** A page of the web UI as text, as the admin signed in through the login form. */
	String page(String path) throws Exception {
		HttpClient browser = signedIn();
		HttpResponse<String> page = browser.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(page.statusCode()).as(name + ": page " + path + ": " + page.body()).isEqualTo(200);
		assertThat(page.uri().getPath()).as(name + ": page " + path + " after signing in").isEqualTo(path);
		return page.body();
	}

	/**
	 * Reads the server-sent events at {@code path}, as the run page's live log does, until a line holds {@code text};
	 * false when the stream ended first.
	 */
	boolean streamShows(String path, String text) throws Exception {
		HttpResponse<java.io.InputStream> stream = signedIn().send(HttpRequest.newBuilder(uri(path))
			.header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
		assertThat(stream.statusCode()).as(name + ": stream " + path).isEqualTo(200);
		try (java.io.BufferedReader lines = new java.io.BufferedReader(
				new java.io.InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
			for (String line = lines.readLine(); line != null; line = lines.readLine()) {
				if (line.startsWith("data:") && line.contains(text)) {
					return true;
				}
			}
		}
		return false;
	}

	private HttpClient signedIn() throws Exception {
		HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
			.followRedirects(HttpClient.Redirect.NORMAL).build();
		String login = browser.send(HttpRequest.newBuilder(uri("/login")).build(), HttpResponse.BodyHandlers.ofString()).body();
		Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(login);
		assertThat(csrf.find()).as(name + ": the login form's CSRF token").isTrue();
		String form = "username=admin&password=test-admin-password&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
		browser.send(HttpRequest.newBuilder(uri("/login")).header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
		return browser;
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + port + path);
	}

	/** Sends a request as the admin; fails the test on a status of 300 or more. */
	JsonNode send(String method, String path, String contentType, String body) throws Exception {
		HttpResponse<String> response = http.send(request(method, path, contentType, body).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(name + ": " + method + " " + path + ": " + response.body()).isLessThan(300);
		return json.readTree(response.body());
	}

	private HttpRequest.Builder request(String method, String path, String contentType, String body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Authorization", "Basic " + Base64.getEncoder()
				.encodeToString("admin:test-admin-password".getBytes(StandardCharsets.UTF_8)))
			.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		return request;
	}

	/** Stops the server as a shutdown does: its training processes go on without it. */
	@Override
	public void close() {
		if (context.isActive()) {
			context.close();
		}
	}
}
