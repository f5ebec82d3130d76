package dev.nightshift.web.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import dev.nightshift.web.WebIntegrationTest;
import dev.nightshift.web.Yaml;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every kind of bad input seen to give a 500, or to be accepted though unreasonable, fed to the real server over
 * HTTP: each is answered with a 4xx problem+json, never a 500 and never a 2xx.
 */
@WebIntegrationTest
class BadInputTest {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final String ADMIN = basic("admin", "test-admin-password");

	private static final int MB = 1024 * 1024;

	private static final String FIELD = "\"field\":\"";

	private static final String RULE = "\"rule\":\"";

	private static long experiment;

	private static long proposal;

	private static long run;

	@LocalServerPort
	int port;

	private final HttpClient http = HttpClient.newHttpClient();

	/**
	 * One bad request: {@code {experiment}}, {@code {proposal}} and {@code {run}} in the path stand for real ones;
	 * {@code names}, when set, is what the answer must contain (the field and rule it names).
	 */
	record Case(String name, String method, String path, String contentType, String body, List<String> names) {

		static Case get(String name, String path) {
			return new Case(name, "GET", path, null, null, List.of());
		}

		static Case post(String name, String path, String contentType, String body) {
			return new Case(name, "POST", path, contentType, body, List.of());
		}

		/** The answer must name these (each a fragment of its JSON, such as {@code "field":"page"}). */
		Case naming(String... fragments) {
			return new Case(name, method, path, contentType, body, List.of(fragments));
		}

		@Override
		public String toString() {
			return name;
		}
	}

	static Stream<Case> badRequests() {
		String runs = "/api/experiments/{experiment}/runs";
		String summary = "/api/experiments/{experiment}/summary";
		String proposals = "/api/experiments/{experiment}/proposals";
		String loop = "/api/experiments/{experiment}/loop";
		return Stream.of(
				Case.get("page times size beyond an int", runs + "?page=2147483647&size=500")
					.naming(FIELD + "page\"", RULE + "out-of-range\""),
				Case.get("proposals: page times size beyond an int", proposals + "?page=2147483647&size=500"),
				Case.get("questions: page times size beyond an int",
						"/api/experiments/{experiment}/questions?page=2147483647&size=500"),
				Case.get("a huge size", runs + "?size=100000"),
				Case.get("a negative page", runs + "?page=-1"),
				Case.get("a page that is not a number", runs + "?page=abc"),
				Case.get("an unknown status", runs + "?status=BOGUS"),
				Case.get("a NUL status", runs + "?status=%00"),
				Case.get("an unknown sort field", runs + "?sort=bogus"),
				Case.get("since at the start of time", summary + "?since=-999999999-01-01T00:00:00Z")
					.naming(FIELD + "since\"", RULE + "out-of-range\""),
				Case.get("since at the end of time", summary + "?since=%2B999999999-12-31T23:59:59Z"),
				Case.get("since that is no time", summary + "?since=yesterday"),
				Case.get("a negative run id", "/api/runs/-1"),
				Case.get("a negative experiment id", "/api/experiments/-5"),
				Case.get("a negative proposal id", "/api/proposals/-1"),
				Case.get("an id beyond a long", "/api/runs/99999999999999999999"),
				Case.get("a metric name with a NUL character", "/api/runs/{run}/metrics?name=%00"),
				Case.post("a patch with a NUL character", proposals, "application/json",
						proposalJson("--- /dev/null\n+++ b/train.py\n@@ -0,0 +1 @@\n+x = '\0'\n", "worth it"))
							.naming(FIELD + "patch\"", RULE + "no-nul\""),
				Case.post("a rationale with a NUL character", proposals, "application/json",
						"{\"params\": {\"lr\": 0.01}, \"rationale\": \"a\\u0000b\", \"question\": \"q\"}"),
				Case.post("a 10 MB patch", proposals, "application/json",
						proposalJson("--- /dev/null\n+++ b/train.py\n@@ -0,0 +1 @@\n+x = '" + "a".repeat(10 * MB) + "'\n",
								"big")).naming(FIELD + "patch\"", RULE + "too-large\""),
				Case.post("params that are not an object", proposals, "application/json",
						"{\"params\": \"lr=0.1\", \"rationale\": \"r\", \"question\": \"q\"}"),
				Case.post("a veto whose body is an array", "/api/proposals/{proposal}/veto", "application/json", "[1, 2]"),
				Case.post("a veto reason with a NUL character", "/api/proposals/{proposal}/veto", "application/json",
						"{\"reason\": \"no\\u0000\"}"),
				Case.post("a 1 MB password", "/api/users", "application/json",
						"{\"username\": \"long-password\", \"password\": \"" + "p".repeat(MB) + "\", \"role\": \"VIEWER\"}")
							.naming(FIELD + "password\"", RULE + "too-long\""),
				Case.post("a password of 73 bytes", "/api/users", "application/json",
						"{\"username\": \"password-73\", \"password\": \"" + "p".repeat(73) + "\", \"role\": \"VIEWER\"}"),
				Case.post("a 10 MB brief", "/api/experiments", "application/yaml",
						Yaml.microGpt() + "  " + "b".repeat(10 * MB) + "\n").naming("takes at most 1048576"),
				Case.post("a brief over 20,000 characters", "/api/experiments", "application/yaml",
						Yaml.microGpt() + "  " + "b".repeat(20_001) + "\n").naming(FIELD + "brief\"", RULE + "too-long\""),
				Case.post("a choice of 100,000 values", "/api/experiments", "application/yaml",
						Yaml.microGpt().replace("values: [tanh, relu]", "values: [" + IntStream.range(0, 100_000)
							.mapToObj(Integer::toString).collect(Collectors.joining(", ")) + "]"))
								.naming(FIELD + "parameters.act.values\"", RULE + "out-of-range\""),
				Case.post("gpus: 1000000", "/api/experiments", "application/yaml",
						Yaml.microGpt().replace("gpus: 0", "gpus: 1000000")).naming(FIELD + "resources.gpus\"", RULE + "out-of-range\""),
				Case.post("an editable glob that is no glob", "/api/experiments", "application/yaml",
						Yaml.microGpt().replace("editable: [train.py]", "editable: [\"[\"]")).naming(FIELD + "editable[0]\""),
				Case.post("a 10 MB YAML scalar", "/api/experiments", "application/yaml",
						"name: " + "n".repeat(10 * MB) + "\n").naming("takes at most 1048576"),
				Case.post("a command with a NUL character", "/api/experiments", "application/json",
						"{\"name\": \"nul-" + UUID.randomUUID().toString().substring(0, 8) + "\", \"command\": \"echo\\u0000\","
								+ " \"objective\": {\"metric\": \"loss\", \"goal\": \"minimize\"}, \"budget\": {\"run\": \"1m\"}}"),
				Case.post("maxGpuHours NaN", loop, "application/json", "{\"policy\": \"manual\", \"maxGpuHours\": \"NaN\"}")
					.naming(FIELD + "maxGpuHours\"", RULE + "out-of-range\""),
				Case.post("maxGpuHours Infinity", loop, "application/json",
						"{\"policy\": \"manual\", \"maxGpuHours\": \"Infinity\"}"),
				Case.post("maxGpuHours negative", loop, "application/json", "{\"policy\": \"manual\", \"maxGpuHours\": -1}"),
				Case.post("target NaN", loop, "application/json", "{\"policy\": \"manual\", \"target\": \"NaN\"}"),
				Case.post("until at the end of time", loop, "application/json",
						"{\"policy\": \"manual\", \"until\": \"+999999999-12-31T23:59:59Z\"}"),
				Case.post("maxRuns of the wrong type", loop, "application/json", "{\"policy\": \"manual\", \"maxRuns\": \"many\"}"),
				Case.post("an unknown policy", loop, "application/json", "{\"policy\": \"sometimes\"}"),
				Case.post("malformed JSON", loop, "application/json", "{\"policy\": "),
				Case.post("JSON nested 100,000 deep", loop, "application/json", "[".repeat(100_000)));
	}

	@BeforeEach
	void experimentAndProposal() throws Exception {
		if (experiment != 0) {
			return;
		}
		HttpResponse<String> created = send(HttpRequest.newBuilder(uri("/api/experiments"))
			.header("Content-Type", "application/yaml")
			.POST(HttpRequest.BodyPublishers.ofString(Yaml.microGpt())));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		experiment = json.readTree(created.body()).get("id").asLong();
		HttpResponse<String> proposed = send(HttpRequest.newBuilder(uri("/api/experiments/" + experiment + "/proposals"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(
					"{\"params\": {\"lr\": 0.01}, \"rationale\": \"r\", \"question\": \"Is 0.01 better?\"}")));
		assertThat(proposed.statusCode()).as(proposed.body()).isEqualTo(201);
		proposal = json.readTree(proposed.body()).get("id").asLong();
		HttpResponse<String> second = send(HttpRequest.newBuilder(uri("/api/experiments/" + experiment + "/proposals"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(
					"{\"params\": {\"lr\": 0.02}, \"rationale\": \"r\", \"question\": \"Is 0.02 better?\"}")));
		long approved = json.readTree(second.body()).get("id").asLong();
		assertThat(send(HttpRequest.newBuilder(uri("/api/proposals/" + approved + "/approve"))
			.POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(200);
		run = await().atMost(Duration.ofMinutes(1)).until(() -> {
			JsonNode items = json.readTree(send(HttpRequest.newBuilder(uri("/api/experiments/" + experiment + "/runs"))
				.GET()).body()).get("items");
			return items.isEmpty() ? 0L : items.get(0).get("id").asLong();
		}, id -> id > 0);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badRequests")
	void badInputIsAClientErrorWithAProblemNeverAServerError(Case bad) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(bad.path()
			.replace("{experiment}", Long.toString(experiment))
			.replace("{proposal}", Long.toString(proposal))
			.replace("{run}", Long.toString(run))));
		if (bad.body() == null) {
			request.GET();
		}
		else {
			request.header("Content-Type", bad.contentType())
				.method(bad.method(), HttpRequest.BodyPublishers.ofString(bad.body()));
		}

		HttpResponse<String> answer = send(request);

		assertThat(answer.statusCode()).as(answer.body()).isBetween(400, 499);
		assertThat(answer.headers().firstValue("Content-Type")).as(answer.body())
			.hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
		if (!bad.names().isEmpty()) {
			assertThat(answer.body().replace("\": \"", "\":\"")).as("what the answer names").contains(bad.names());
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("oversizedStreams")
	void anOversizedBodyWithoutALengthIsRefusedAsItArrives(String name, String path, String contentType, int size)
			throws Exception {
		// Just over the cap, so the server can read past the rest (Tomcat swallows up to 2 MB) and answer cleanly.
		String text = "n".repeat(size);
		byte[] body = (contentType.endsWith("json") ? "{\"patch\": \"" + text + "\"}" : "name: " + text + "\n")
			.getBytes(StandardCharsets.UTF_8);
		HttpResponse<String> answer = send(HttpRequest.newBuilder(uri(path.replace("{experiment}", Long.toString(experiment))))
			.header("Content-Type", contentType)
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));

		assertThat(answer.statusCode()).as(answer.body()).isBetween(400, 499);
	}

	static Stream<Arguments> oversizedStreams() {
		return Stream.of(
				Arguments.of("a chunked 2 MB specification", "/api/experiments", "application/yaml", 2 * MB),
				Arguments.of("a chunked 17 MB proposal", "/api/experiments/{experiment}/proposals", "application/json",
						17 * MB));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("credentials")
	void oddCredentialsAreUnauthorisedNotAServerError(String name, String authorization) throws Exception {
		HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri("/api/experiments"))
			.header("Authorization", authorization)
			.timeout(Duration.ofMinutes(1))
			.GET()
			.build(), HttpResponse.BodyHandlers.ofString());

		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(401);
	}

	static Stream<Arguments> credentials() {
		return Stream.of(
				Arguments.of("a 100-byte password", basic("admin", "p".repeat(100))),
				Arguments.of("a 4 KB password", basic("admin", "p".repeat(4096))),
				Arguments.of("no such user", basic("nobody", "password-for-tests")));
	}

	private static String proposalJson(String patch, String rationale) {
		return json.writeValueAsString(Map.of("patch", patch, "rationale", rationale, "question", "Does it help?"));
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return http.send(request.header("Authorization", ADMIN).timeout(Duration.ofMinutes(1)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + port + path);
	}

	private static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}
}
