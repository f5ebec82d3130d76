package dev.nightshift.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The server is killed with SIGKILL while three runs train, and started again on the same home: the run that
 * finished meanwhile is recorded from its exit status and log, the one still alive is taken up again, the one
 * whose process vanished is LOST and its proposal runs once more. Real server processes, real training
 * processes, the embedded PostgreSQL.
 */
class CrashRecoveryTest {

	private final List<ServerProcess> servers = new ArrayList<>();

	@TempDir
	Path dir;

	@AfterEach
	void stopServers() {
		servers.forEach(ServerProcess::close);
	}

	@Test
	void killedServerLosesNothingAndRunsNothingTwice() throws Exception {
		Path home = dir.resolve("home");
		Path gates = Files.createDirectories(dir.resolve("gates"));
		int port = ServerProcess.freePort();
		ServerProcess first = start(home, port, "first");

		long finishesWhileDown = approve(program("finishes", gates));
		long survives = approve(program("survives", gates));
		long vanishes = approve(program("vanishes", gates));
		for (long proposal : List.of(finishesWhileDown, survives, vanishes)) {
			await().atMost(Duration.ofSeconds(60)).until(() -> hasPoint(runsOf(proposal).get(0)));
		}
		long finishingRun = runsOf(finishesWhileDown).get(0).get("id").asLong();
		long vanishingRun = runsOf(vanishes).get(0).get("id").asLong();

		first.kill();
		// While no server is up: one run finishes, one goes on, and one loses its whole process tree.
		Files.createFile(gates.resolve("finishes"));
		await().atMost(Duration.ofSeconds(30))
			.until(() -> Files.exists(home.resolve("runs").resolve(Long.toString(finishingRun)).resolve("exit")));
		killProcessTree(home.resolve("runs").resolve(Long.toString(vanishingRun)));
		Files.createFile(gates.resolve("vanishes"));

		start(home, port, "second");
		await().atMost(Duration.ofSeconds(60)).until(() -> status(runsOf(finishesWhileDown).get(0)).equals("SUCCEEDED"));
		JsonNode recorded = runsOf(finishesWhileDown).get(0);
		assertThat(recorded.get("objective").asDouble()).isEqualTo(0.5);

		assertThat(status(runsOf(survives).get(0))).isEqualTo("RUNNING");
		Files.createFile(gates.resolve("survives"));
		await().atMost(Duration.ofSeconds(60)).until(() -> status(runsOf(survives).get(0)).equals("SUCCEEDED"));

		await().atMost(Duration.ofSeconds(60)).until(() -> runsOf(vanishes).size() == 2
				&& status(runsOf(vanishes).get(0)).equals("SUCCEEDED"));
		List<JsonNode> vanishRuns = runsOf(vanishes);
		assertThat(vanishRuns.get(1).get("id").asLong()).isEqualTo(vanishingRun);
		assertThat(vanishRuns.get(1).get("status").asString()).isEqualTo("LOST");

		assertThat(runsOf(finishesWhileDown)).hasSize(1);
		assertThat(runsOf(survives)).hasSize(1);
		assertThat(get("/api/proposals/" + vanishes).get("status").asString()).isEqualTo("DONE");
		List<String> moves = new ArrayList<>();
		get("/api/proposals/" + vanishes).get("history").forEach(entry -> moves.add(entry.get("to").asString()));
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

	private long approve(Path yaml) throws Exception {
		long experiment = send("POST", "/api/experiments", "application/yaml", Files.readString(yaml)).get("id").asLong();
		long proposal = send("POST", "/api/experiments/" + experiment + "/proposals", "application/json",
				"{\"params\": {\"lr\": 0.02}, \"rationale\": \"recovery\", \"question\": \"Does it survive?\"}")
			.get("id").asLong();
		send("POST", "/api/proposals/" + proposal + "/approve", "application/json", "");
		return proposal;
	}

	/** The runs of a proposal, newest first. */
	private List<JsonNode> runsOf(long proposal) throws Exception {
		List<JsonNode> found = new ArrayList<>();
		long experiment = get("/api/proposals/" + proposal).get("experimentId").asLong();
		get("/api/experiments/" + experiment + "/runs").get("items").forEach(run -> {
			if (run.get("proposalId").asLong() == proposal) {
				found.add(run);
			}
		});
		return found;
	}

	private boolean hasPoint(JsonNode run) throws Exception {
		return get("/api/runs/" + run.get("id").asLong() + "/metrics").size() > 0;
	}

	private String status(JsonNode run) throws Exception {
		return get("/api/runs/" + run.get("id").asLong()).get("status").asString();
	}

	/** Asks the server started last. */
	private JsonNode get(String path) throws Exception {
		return servers.get(servers.size() - 1).get(path);
	}

	private JsonNode send(String method, String path, String contentType, String body) throws Exception {
		return servers.get(servers.size() - 1).send(method, path, contentType, body);
	}

	private ServerProcess start(Path home, int port, String name) throws Exception {
		ServerProcess server = ServerProcess.start(home, port, dir.resolve(name + "-server.log"),
				"nightshift.scheduler.cpu-slots=3");
		servers.add(server);
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
}
