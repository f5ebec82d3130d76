package dev.nightshift.bench;

import java.io.IOException;
import java.net.CookieManager;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real server, {@code java -jar nightshift.jar}, in a process of its own on a database the benchmark owns,
 * spoken to over HTTP as its admin. What users run is what is measured.
 */
final class NightshiftServer implements AutoCloseable {

	static final String ADMIN = "admin";
	static final String PASSWORD = "bench-admin-password";
	private static final JsonMapper JSON = JsonMapper.builder().build();
	// A machine shared with other work may start the server slowly; -Dbench.startup-minutes gives it longer.
	private static final Duration STARTUP = Duration.ofMinutes(Long.getLong("bench.startup-minutes", 4));

	private final Process process;
	private final Path log;
	private final int port;
	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private NightshiftServer(Process process, Path log, int port) {
		this.process = process;
		this.log = log;
		this.port = port;
	}

	/** A response: its status, its body and how long it took from sending to the last byte. */
	record Answer(int status, String body, Duration took) {
	}

	/**
	 * Starts the server and waits until its health check answers UP.
	 *
	 * @param jar      the Boot jar ({@code web/target/nightshift.jar})
	 * @param jdbcUrl  the database, already created; the server migrates it
	 * @param home     its {@code NIGHTSHIFT_HOME}; the server's log goes to {@code home/server.log}
	 * @param settings more {@code --name=value} arguments, without the dashes
	 */
	static NightshiftServer start(Path jar, String jdbcUrl, Path home, String... settings)
			throws IOException, InterruptedException {
		return start(jar, jdbcUrl, home, List.of(), settings);
	}

	/**
	 * Starts the server with more JVM options, e.g. {@code -XX:TieredStopAtLevel=1} where start-up time counts
	 * more than speed (the chaos test starts it six times).
	 */
	static NightshiftServer start(Path jar, String jdbcUrl, Path home, List<String> javaOptions, String... settings)
			throws IOException, InterruptedException {
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException("No server jar at " + jar + "; build it with ./mvnw package -DskipTests");
		}
		Files.createDirectories(home);
		Path log = home.resolve("server.log");
		// A free port may be taken before the server binds it (any process's outgoing connection can get it on a
		// busy machine): such a start is tried again on another port.
		for (int attempt = 1;; attempt++) {
			int port = freePort();
			List<String> command = new ArrayList<>(List.of(
					Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
			command.addAll(javaOptions);
			command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port, "--nightshift.home=" + home,
					"--spring.datasource.url=" + jdbcUrl, "--spring.datasource.username=postgres",
					"--nightshift.demo.enabled=false", "--spring.main.banner-mode=off"));
			for (String setting : settings) {
				command.add("--" + setting);
			}
			long logStart = Files.exists(log) ? Files.size(log) : 0;
			// Appended, so that a server started again on the same home (the chaos test) keeps its predecessors' logs.
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
			builder.environment().put("NIGHTSHIFT_ADMIN_PASSWORD", PASSWORD);
			NightshiftServer server = new NightshiftServer(builder.start(), log, port);
			if (server.awaitHealthy(logStart)) {
				return server;
			}
			if (attempt == 3) {
				throw new IllegalStateException("Three starts in a row found their port taken; the log:\n" + server.tail());
			}
		}
	}

	/**
	 * Waits until health answers; false when the start failed because its port was taken (the process is
	 * stopped), an exception for any other failure.
	 */
	private boolean awaitHealthy(long logStart) throws IOException, InterruptedException {
		long deadline = System.nanoTime() + STARTUP.toNanos();
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				throw new IllegalStateException("The server exited with " + process.exitValue() + "; its log:\n"
						+ tail());
			}
			try {
				if (get("/actuator/health").status() == 200) {
					return true;
				}
			}
			catch (IOException notYet) {
				// Not listening yet.
			}
			// A server whose start failed may stay alive (threads left behind); its log says so.
			String since = logSince(logStart);
			if (since.contains("APPLICATION FAILED TO START")) {
				close();
				if (since.contains("Port " + port + " was already in use")) {
					return false;
				}
				throw new IllegalStateException("The server failed to start; its log:\n" + tail());
			}
			Thread.sleep(250);
		}
		close();
		throw new IllegalStateException("The server did not become healthy within " + STARTUP + "; its log:\n" + tail());
	}

	/** What the log got from {@code offset} on (this start's part of a log that several starts append to). */
	private String logSince(long offset) throws IOException {
		try (SeekableByteChannel channel = Files.newByteChannel(log)) {
			long size = channel.size();
			if (size <= offset) {
				return "";
			}
			ByteBuffer bytes = ByteBuffer.allocate((int) Math.min(size - offset, 16L * 1024 * 1024));
			channel.position(offset);
			while (bytes.hasRemaining() && channel.read(bytes) > 0) {
				// Reads up to the end, or the cap.
			}
			return new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8);
		}
	}

	Answer get(String path) throws IOException, InterruptedException {
		return send("GET", path, null, null);
	}

	/** Sends a request as the admin. */
	Answer send(String method, String path, String contentType, String body) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
			.timeout(Duration.ofMinutes(1))
			.header("Authorization", "Basic " + Base64.getEncoder()
				.encodeToString((ADMIN + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
			.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		long started = System.nanoTime();
		HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		return new Answer(response.statusCode(), response.body(), Duration.ofNanos(System.nanoTime() - started));
	}

	/**
	 * Signs in through the login form, as a browser does (the pages do not take HTTP Basic), and returns a
	 * session whose requests carry its cookie.
	 */
	Session signIn() throws IOException, InterruptedException {
		HttpClient browser = HttpClient.newBuilder()
			.cookieHandler(new CookieManager())
			.connectTimeout(Duration.ofSeconds(10))
			.build();
		String login = browser.send(HttpRequest.newBuilder(uri("/login")).build(), HttpResponse.BodyHandlers.ofString())
			.body();
		Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(login);
		if (!csrf.find()) {
			throw new IllegalStateException("The login page has no CSRF token:\n" + login);
		}
		String form = "username=" + ADMIN + "&password=" + PASSWORD + "&_csrf="
				+ URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
		HttpResponse<String> signedIn = browser.send(HttpRequest.newBuilder(uri("/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build(), HttpResponse.BodyHandlers.ofString());
		String location = signedIn.headers().firstValue("Location").orElse("");
		if (signedIn.statusCode() != 302 || location.contains("error")) {
			throw new IllegalStateException("Signing in failed: " + signedIn.statusCode() + " to " + location);
		}
		return new Session(browser);
	}

	/** A signed-in browser session. */
	final class Session {

		private final HttpClient browser;

		private Session(HttpClient browser) {
			this.browser = browser;
		}

		/** GETs a page; {@code headers} are name, value pairs (htmx's {@code HX-Target}, for instance). */
		Answer get(String path, String... headers) throws IOException, InterruptedException {
			HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofMinutes(1));
			for (int i = 0; i + 1 < headers.length; i += 2) {
				request.header(headers[i], headers[i + 1]);
			}
			long started = System.nanoTime();
			HttpResponse<String> response = browser.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Answer(response.statusCode(), response.body(), Duration.ofNanos(System.nanoTime() - started));
		}
	}

	String baseUrl() {
		return "http://127.0.0.1:" + port;
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + port + path);
	}

	/** Sends a request and reads its JSON answer; a status of 300 or more is an error naming the request. */
	JsonNode json(String method, String path, String contentType, String body) throws IOException, InterruptedException {
		Answer answer = send(method, path, contentType, body);
		if (answer.status() >= 300) {
			throw new IllegalStateException(method + " " + path + " answered " + answer.status() + ": " + answer.body());
		}
		return JSON.readTree(answer.body());
	}

	/** The last lines of the server's log, for error messages. */
	String tail() {
		try {
			List<String> lines = Files.readAllLines(log);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/** The server's process id. */
	long pid() {
		return process.pid();
	}

	/**
	 * Kills the server with SIGKILL, as a crash or the OOM killer would: no shutdown hook runs, nothing is
	 * flushed. Returns once the process is gone, so the next server can take the home's lock.
	 */
	void kill() throws InterruptedException {
		process.destroyForcibly();
		if (!process.waitFor(1, TimeUnit.MINUTES)) {
			throw new IllegalStateException("The server (pid " + process.pid() + ") did not die of SIGKILL within a minute");
		}
	}

	/** Stops the server as an operator would (SIGTERM), and kills it if it has not stopped within a minute. */
	@Override
	public void close() {
		process.destroy();
		try {
			if (!process.waitFor(1, TimeUnit.MINUTES)) {
				process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}
}
