package dev.nightshift.web.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.nightshift.web.ServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** A server killed with SIGKILL in the middle of a loop; the next one carries on, losing and repeating nothing. */
class LoopCrashTest {

	private final List<ServerProcess> servers = new ArrayList<>();

	@TempDir
	Path dir;

	@AfterEach
	void stopServers() {
		servers.forEach(ServerProcess::close);
	}

	@Test
	void loopCarriesOnAfterTheServerIsKilled() throws Exception {
		Path home = dir.resolve("home");
		int port = ServerProcess.freePort();
		ServerProcess first = start(home, port, "first");
		long experiment = first.send("POST", "/api/experiments", "application/yaml",
				SyntheticPrograms.experiment(dir, "2 + (math.log10(lr) + 2) ** 2", 0.001, 1.0)).get("id").asLong();
		first.send("POST", "/api/experiments/" + experiment + "/loop", "application/json",
				"{\"policy\": \"auto\", \"maxRuns\": 8, \"lookahead\": 1}");
		await().atMost(Duration.ofMinutes(2)).until(() -> finished(first, experiment) >= 3);

		first.kill();
		ServerProcess second = start(home, port, "second");
		await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
			.until(() -> second.get("/api/experiments/" + experiment + "/loop").get("loop").get("status").asString()
				.equals("FINISHED"));
		await().atMost(Duration.ofMinutes(1)).until(() -> runs(second, experiment).stream()
			.noneMatch(r -> r.get("status").asString().matches("QUEUED|STARTING|RUNNING")));

		List<JsonNode> runs = runs(second, experiment);
		assertThat(runs.stream().filter(r -> !r.get("status").asString().equals("LOST")).count()).isGreaterThanOrEqualTo(8);
		Map<Long, Integer> runsPerProposal = new HashMap<>();
		for (JsonNode run : runs) {
			if (run.get("kind").asString().equals("PROPOSAL") && !run.get("status").asString().equals("LOST")) {
				runsPerProposal.merge(run.get("proposalId").asLong(), 1, Integer::sum);
			}
		}
		assertThat(runsPerProposal.values()).as("no proposal ran twice").allMatch(count -> count == 1);
		assertThat(runs.stream().filter(r -> r.get("kind").asString().equals("BASELINE")
				&& !r.get("status").asString().equals("LOST"))).hasSize(2);
	}

	private long finished(ServerProcess server, long experiment) throws Exception {
		return runs(server, experiment).stream().filter(r -> r.get("status").asString().equals("SUCCEEDED")).count();
	}

	private List<JsonNode> runs(ServerProcess server, long experiment) throws Exception {
		List<JsonNode> runs = new ArrayList<>();
		server.get("/api/experiments/" + experiment + "/runs?size=500").get("items").forEach(runs::add);
		return runs;
	}

	private ServerProcess start(Path home, int port, String name) throws Exception {
		ServerProcess server = ServerProcess.start(home, port, dir.resolve(name + "-server.log"), "nightshift.loop.tick=1s");
		servers.add(server);
		return server;
	}
}
