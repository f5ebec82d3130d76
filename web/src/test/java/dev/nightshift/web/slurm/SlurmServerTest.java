package dev.nightshift.web.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import dev.nightshift.web.ServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The server, started from its classes as a real process with {@code nightshift.executor=slurm}, runs the demo
 * experiment (micro-gpt) through the real one-node Slurm ({@code .ci/slurm-up}) with the outcome, metrics and log
 * of a local run; killed while a job runs and started again, it finds the job by its id and finishes the run.
 */
class SlurmServerTest {

	private static final Path MICRO_GPT = Path.of("..", "examples", "micro-gpt").toAbsolutePath().normalize();

	private final List<ServerProcess> servers = new ArrayList<>();

	@TempDir
	Path dir;

	@BeforeEach
	void slurm() {
		boolean up = sinfoAnswers();
		if ("1".equals(System.getenv("NIGHTSHIFT_TEST_SLURM"))) {
			assertThat(up).as("NIGHTSHIFT_TEST_SLURM=1, but sinfo does not answer: is .ci/slurm-up run?").isTrue();
		}
		assumeTrue(up, "no Slurm here (run .ci/slurm-up as root to start a one-node one)");
	}

	@AfterEach
	void stopServers() {
		servers.forEach(ServerProcess::close);
	}

	@Test
	void theDemoExperimentThroughSlurmEndsWithTheOutcomeMetricsAndLogOfALocalRun() throws Exception {
		start(dir.resolve("home"), "first");
		String yaml = Files.readString(MICRO_GPT.resolve("nightshift.yaml"))
			.replace("source: examples/micro-gpt", "source: " + MICRO_GPT);
		long onSlurm = register(yaml);
		long local = register(yaml.replace("name: micro-gpt", "name: micro-gpt-local") + "executor: local\n");

		long slurmProposal = approve(onSlurm);
		long localProposal = approve(local);
		JsonNode slurmRun = finished(slurmProposal);
		JsonNode localRun = finished(localProposal);

		assertThat(slurmRun.get("status").asString()).as(slurmRun.toString()).isEqualTo("SUCCEEDED");
		assertThat(localRun.get("status").asString()).as(localRun.toString()).isEqualTo("SUCCEEDED");
		assertThat(slurmRun.get("slot").asString()).isEqualTo("slurm");
		assertThat(slurmRun.get("jobId").asString()).matches("[0-9]+");
		assertThat(localRun.get("jobId").isNull()).isTrue();
		assertThat(slurmRun.get("objective").asDouble()).isBetween(0.5, 3.5);
		assertThat(metricNames(slurmRun)).isEqualTo(metricNames(localRun)).contains("val_loss", "loss", "num_params");
		assertThat(last(slurmRun, "num_params")).isEqualTo(last(localRun, "num_params"));
		assertThat(last(slurmRun, "val_loss")).isEqualTo(slurmRun.get("objective").asDouble());
		String log = Files.readString(dir.resolve("home").resolve("runs").resolve(slurmRun.get("id").asString())
			.resolve("run.log"));
		assertThat(log).contains("val_loss:").contains(" seed=" + slurmRun.get("id").asLong());
	}

	@Test
	void aServerKilledWhileItsSlurmJobRunsFindsTheJobAgainAndFinishesTheRun() throws Exception {
		Path home = dir.resolve("home");
		Path gate = Files.createDirectories(dir.resolve("gates")).resolve("open");
		Path source = Files.createDirectories(dir.resolve("program"));
		Files.writeString(source.resolve("train.sh"), """
				echo "step=1 loss=2.0"
				while [ ! -e %s ]; do sleep 0.2; done
				echo "step=2 loss=1.0"
				echo "val_loss: 0.5"
				""".formatted(gate));
		ServerProcess first = start(home, "first");
		long experiment = register("""
				name: gated
				source: %s
				command: sh train.sh
				objective: {metric: val_loss, goal: minimize}
				budget: {run: 10m}
				parameters:
				  lr: {type: float, min: 0.001, max: 0.1, default: 0.01}
				""".formatted(source));
		long proposal = approve(experiment);
		JsonNode running = await().atMost(Duration.ofMinutes(3)).until(() -> {
			JsonNode run = runOf(proposal);
			return run != null && run.get("status").asString().equals("RUNNING") && points(run, "loss") == 1 ? run : null;
		}, java.util.Objects::nonNull);
		String jobId = running.get("jobId").asString();

		first.kill();
		Files.createFile(gate);
		await().atMost(Duration.ofMinutes(2)).until(() -> Files.exists(home.resolve("runs")
			.resolve(running.get("id").asString()).resolve("exit")));
		start(home, "second");

		JsonNode run = finished(proposal);
		assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
		assertThat(run.get("id").asLong()).isEqualTo(running.get("id").asLong());
		assertThat(run.get("jobId").asString()).isEqualTo(jobId);
		assertThat(run.get("objective").asDouble()).isEqualTo(0.5);
		assertThat(values(run, "loss")).as("each point once, though two servers read the log").containsExactly(2.0, 1.0);
		assertThat(get("/api/proposals/" + proposal).get("status").asString()).isEqualTo("DONE");
	}

	private ServerProcess start(Path home, String name) throws Exception {
		ServerProcess server = ServerProcess.start(home, ServerProcess.freePort(), dir.resolve(name + "-server.log"),
				"nightshift.executor=slurm", "nightshift.slurm.poll=1s");
		servers.add(server);
		return server;
	}

	private long register(String yaml) throws Exception {
		return send("POST", "/api/experiments", "application/yaml", yaml).get("id").asLong();
	}

	private long approve(long experiment) throws Exception {
		long proposal = send("POST", "/api/experiments/" + experiment + "/proposals", "application/json",
				"{\"params\": {\"lr\": 0.01}, \"rationale\": \"slurm\", \"question\": \"Does it run on Slurm?\"}")
			.get("id").asLong();
		send("POST", "/api/proposals/" + proposal + "/approve", "application/json", "");
		return proposal;
	}

	private JsonNode finished(long proposal) {
		return await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofSeconds(1)).until(() -> runOf(proposal),
				run -> run != null && !run.get("status").asString().matches("QUEUED|STARTING|RUNNING"));
	}

	private JsonNode runOf(long proposal) throws Exception {
		long experiment = get("/api/proposals/" + proposal).get("experimentId").asLong();
		for (JsonNode run : get("/api/experiments/" + experiment + "/runs").get("items")) {
			if (run.get("proposalId").asLong() == proposal) {
				return get("/api/runs/" + run.get("id").asLong());
			}
		}
		return null;
	}

	private Set<String> metricNames(JsonNode run) throws Exception {
		Set<String> names = new TreeSet<>();
		get("/api/runs/" + run.get("id").asLong() + "/metrics").forEach(point -> names.add(point.get("name").asString()));
		return names;
	}

	private List<Double> values(JsonNode run, String metric) throws Exception {
		List<Double> values = new ArrayList<>();
		get("/api/runs/" + run.get("id").asLong() + "/metrics?name=" + metric)
			.forEach(point -> values.add(point.get("value").asDouble()));
		return values;
	}

	private int points(JsonNode run, String metric) throws Exception {
		return values(run, metric).size();
	}

	private double last(JsonNode run, String metric) throws Exception {
		List<Double> values = values(run, metric);
		return values.get(values.size() - 1);
	}

	private JsonNode get(String path) throws Exception {
		return servers.get(servers.size() - 1).get(path);
	}

	private JsonNode send(String method, String path, String contentType, String body) throws Exception {
		return servers.get(servers.size() - 1).send(method, path, contentType, body);
	}

	private static boolean sinfoAnswers() {
		try {
			Process sinfo = new ProcessBuilder("sinfo", "--noheader").redirectErrorStream(true).start();
			return sinfo.waitFor(30, TimeUnit.SECONDS) && sinfo.exitValue() == 0;
		}
		catch (IOException noSlurm) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}
}
