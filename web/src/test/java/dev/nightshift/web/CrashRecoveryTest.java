package dev.nightshift.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.nightshift.NightshiftApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The server is killed with SIGKILL while three runs train, and started again on the same home: the run that
 * finished meanwhile is recorded from its exit status and log, the one still alive is taken up again, the one
 * whose process vanished is LOST and its proposal runs once more. Real server processes, real training
 * processes, the embedded PostgreSQL.
 */
class CrashRecoveryTest {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newHttpClient();
	private final List<Process> servers = new ArrayList<>();

	@TempDir
	Path dir;

	@AfterEach
	void stopServers() {
		servers.forEach(Process::destroyForcibly);
	}

	@Test
	void killedServerLosesNothingAndRunsNothingTwice() throws Exception {
		Path home = dir.resolve("home");
		Path gates = Files.createDirectories(dir.resolve("gates"));
		int port = freePort();
		Process first = startServer(home, port, "first");

		long finishesWhileDown = approve(port, program("finishes", gates));
		long survives = approve(port, program("survives", gates));
		long vanishes = approve(port, program("vanishes", gates));
		for (long proposal : List.of(finishesWhileDown, survives, vanishes)) {
			await().atMost(Duration.ofSeconds(60)).until(() -> hasPoint(port, runsOf(port, proposal).get(0)));
		}
		long finishingRun = runsOf(port, finishesWhileDown).get(0).get("id").asLong();
		long vanishingRun = runsOf(port, vanishes).get(0).get("id").asLong();

		first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
		// While no server is up: one run finishes, one goes on, and one loses its whole process tree.
		Files.createFile(gates.resolve("finishes"));
		await().atMost(Duration.ofSeconds(30))
			.until(() -> Files.exists(home.resolve("runs").resolve(Long.toString(finishingRun)).resolve("exit")));
		killProcessTree(home.resolve("runs").resolve(Long.toString(vanishingRun)));
		Files.createFile(gates.resolve("vanishes"));

		startServer(home, port, "second");
		await().atMost(Duration.ofSeconds(60)).until(() -> status(port, runsOf(port, finishesWhileDown).get(0)).equals("SUCCEEDED"));
		JsonNode recorded = runsOf(port, finishesWhileDown).get(0);
		assertThat(recorded.get("objective").asDouble()).isEqualTo(0.5);

		assertThat(status(port, runsOf(port, survives).get(0))).isEqualTo("RUNNING");
		Files.createFile(gates.resolve("survives"));
		await().atMost(Duration.ofSeconds(60)).until(() -> status(port, runsOf(port, survives).get(0)).equals("SUCCEEDED"));

		await().atMost(Duration.ofSeconds(60)).until(() -> runsOf(port, vanishes).size() == 2
				&& status(port, runsOf(port, vanishes).get(0)).equals("SUCCEEDED"));
		List<JsonNode> vanishRuns = runsOf(port, vanishes);
		assertThat(vanishRuns.get(1).get("id").asLong()).isEqualTo(vanishingRun);
		assertThat(vanishRuns.get(1).get("status").asString()).isEqualTo("LOST");

		assertThat(runsOf(port, finishesWhileDown)).hasSize(1);
		assertThat(runsOf(port, survives)).hasSize(1);
		assertThat(get(port, "/api/proposals/" + vanishes).get("status").asString()).isEqualTo("DONE");
		List<String> moves = new ArrayList<>();
		get(port, "/api/proposals/" + vanishes).get("history").forEach(entry -> moves.add(entry.get("to").asString()));
		assertThat(moves).containsExactly("PROPOSED", "APPROVED", "SCHEDULED", "APPROVED", "SCHEDULED", "DONE");
	}

	/** A training program that reports a loss, waits for its gate file, then reports val_loss 0.5. */
	private Path program(String name, Path gates) throws IOException {
		Path source = Files.createDirectories(dir.resolve("program-" + name));
		Files.writeString(source.resolve("train.sh"), """
				echo "step=1 loss=2.0"
				while [ ! -e %s ]; do sleep 0.1; done
				echo "val_loss: 0.5"
				""".formatted(gates.resolve(name)));
		Files.writeString(source.resolve("nightshift.yaml"), """
				name: %s
				source: %s
				command: sh train.sh
				objective: {metric: val_loss, goal: minimize}
				budget: {run: 5m}
				parameters:
				  lr: {type: float, min: 0.001, max: 0.1, default: 0.01}
				""".formatted(name, source));
		return source.resolve("nightshift.yaml");
	}

	private long approve(int port, Path yaml) throws Exception {
		long experiment = send(port, "POST", "/api/experiments", "application/yaml", Files.readString(yaml)).get("id").asLong();
		long proposal = send(port, "POST", "/api/experiments/" + experiment + "/proposals", "application/json",
				"{\"params\": {\"lr\": 0.02}, \"rationale\": \"recovery\", \"question\": \"Does it survive?\"}")
			.get("id").asLong();
		send(port, "POST", "/api/proposals/" + proposal + "/approve", "application/json", "");
		return proposal;
	}

	/** The runs of a proposal, newest first. */
	private List<JsonNode> runsOf(int port, long proposal) throws Exception {
		List<JsonNode> found = new ArrayList<>();
		long experiment = get(port, "/api/proposals/" + proposal).get("experimentId").asLong();
		get(port, "/api/experiments/" + experiment + "/runs").get("items").forEach(run -> {
			if (run.get("proposalId").asLong() == proposal) {
				found.add(run);
			}
		});
		return found;
	}

	private boolean hasPoint(int port, JsonNode run) throws Exception {
		return get(port, "/api/runs/" + run.get("id").asLong() + "/metrics").size() > 0;
	}

	private String status(int port, JsonNode run) throws Exception {
		return get(port, "/api/runs/" + run.get("id").asLong()).get("status").asString();
	}

	private JsonNode get(int port, String path) throws Exception {
		return send(port, "GET", path, null, null);
	}

	private JsonNode send(int port, String method, String path, String contentType, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Authorization", "Basic " + Base64.getEncoder()
				.encodeToString("admin:test-admin-password".getBytes(StandardCharsets.UTF_8)))
			.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isLessThan(300);
		return json.readTree(response.body());
	}

	private Process startServer(Path home, int port, String name) throws Exception {
		Path log = dir.resolve(name + "-server.log");
		Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), NightshiftApplication.class.getName(), "--server.port=" + port,
				"--nightshift.home=" + home, "--nightshift.scheduler.cpu-slots=3", "--nightshift.demo.enabled=false",
				"--spring.main.banner-mode=off")
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		servers.add(server);
		await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
			if (!server.isAlive()) {
				throw new AssertionError("server " + name + " died:\n" + Files.readString(log));
			}
			try {
				return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
						HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
			}
			catch (IOException notYet) {
				return false;
			}
		});
		return server;
	}

	/** SIGKILL to the run's wrapper and everything under it, so that it leaves no exit status. */
	private static void killProcessTree(Path runDir) throws IOException {
		long wrapper = Long.parseLong(Files.readString(runDir.resolve("pid")).strip());
		ProcessHandle.of(wrapper).ifPresent(process -> {
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly();
		});
		await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(wrapper).map(p -> !p.isAlive()).orElse(true));
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}
}
