package dev.nightshift.web.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.nightshift.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two Nightshift servers, each a whole application with its own home, port and slots, on ONE PostgreSQL (the
 * server at {@code NIGHTSHIFT_TEST_DB_URL} when set, as in CI; a database of their own on it). Real training
 * processes, gated by files the test creates. No assertion is about time: every wait has a generous deadline.
 */
class TwoServersTest {

	private static final Duration LONG = Duration.ofMinutes(4);

	private final List<ClusterNode> nodes = new ArrayList<>();
	private TestDatabase.Connection db;
	private Path work;
	private Path gates;

	@BeforeEach
	void setUp() throws IOException {
		db = TestDatabase.another();
		// Under target/, not /tmp: a contained run has a /tmp of its own and would never see a gate there.
		work = Files.createDirectories(Path.of("target", "two-servers-" + UUID.randomUUID()).toAbsolutePath());
		gates = Files.createDirectories(work.resolve("gates"));
	}

	@AfterEach
	void tearDown() throws IOException {
		nodes.forEach(ClusterNode::close);
		// Whatever happened, no training process is left waiting for a gate.
		Files.writeString(gates.resolve("all"), "");
	}

	@Test
	void twoServersShareTheQueueRunNothingTwiceHandOverTheLoopAndRecoverTheirRuns() throws Exception {
		// A long server timeout: a server that is stopped here comes back, and its runs are its own to recover.
		Map<String, String> settings = settings("10m");
		ClusterNode first = start("first", settings);
		ClusterNode second = start("second", settings);
		long gated = register(first, "gated", gatedProgram("gated"));

		List<Long> proposals = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			proposals.add(approve(i % 2 == 0 ? first : second, gated, 0.01 + i * 0.01));
		}
		// Two slots each, four runs: both servers take work, each run once.
		await().atMost(LONG).until(() -> count("select count(*) from run where experiment_id = ? and status = 'RUNNING'",
				gated) == 4);
		Map<Long, String> owners = owners(gated);
		assertThat(owners.values()).containsOnly(first.serverId(), second.serverId());
		assertThat(owners.values().stream().filter(first.serverId()::equals)).hasSize(2);
		for (long proposal : proposals) {
			assertThat(proposalRuns(proposal)).isEqualTo(1);
		}

		// Each server shows the live log of the other's runs.
		for (Map.Entry<Long, String> run : owners.entrySet()) {
			ClusterNode other = run.getValue().equals(first.serverId()) ? second : first;
			await().atMost(LONG).until(() -> other.text("/api/runs/" + run.getKey() + "/log")
				.contains("run " + run.getKey() + " waiting"));
			assertThat(other.page("/runs/" + run.getKey() + "/log")).contains("run " + run.getKey() + " waiting");
			assertThat(other.streamShows("/runs/" + run.getKey() + "/log/stream", "run " + run.getKey() + " waiting"))
				.isTrue();
		}

		// A loop on a second experiment, started while every slot is busy; one server drives it.
		long looped = register(first, "looped", loopProgram("looped"));
		first.send("POST", "/api/experiments/" + looped + "/loop", "application/json",
				"{\"policy\": \"auto\", \"maxRuns\": 10, \"lookahead\": 1}");
		await().atMost(LONG).until(() -> loopOwner(looped) != null);
		ClusterNode driver = loopOwner(looped).equals(first.serverId()) ? first : second;
		ClusterNode other = driver == first ? second : first;
		String driverHome = driver.name();

		// The other server's slots are freed; the driver's stay busy with its two gated runs.
		List<Long> driversRuns = new ArrayList<>();
		for (Map.Entry<Long, String> run : owners.entrySet()) {
			if (run.getValue().equals(other.serverId())) {
				Files.writeString(gates.resolve(Long.toString(run.getKey())), "");
			}
			else {
				driversRuns.add(run.getKey());
			}
		}
		await().atMost(LONG).until(() -> count("select count(*) from run where experiment_id = ? and server_id = ?",
				looped, other.serverId()) > 0);

		// The driver stops: its loop goes to the other server once the lease ran out; its runs train on.
		String driverId = driver.serverId();
		driver.close();
		await().atMost(LONG).until(() -> other.serverId().equals(loopOwner(looped)));
		assertThat(other.get("/api/experiments/" + looped + "/loop").get("loop").get("status").asString())
			.isEqualTo("RUNNING");
		long proposalsAtHandOver = count("select count(*) from proposal where experiment_id = ?", looped);
		// The loop's runs go on now: the loop, on the other server, takes its next steps.
		Files.writeString(gates.resolve("loop"), "");
		await().atMost(LONG).until(() -> count("select count(*) from proposal where experiment_id = ?", looped)
				> proposalsAtHandOver);

		// While it is down its runs finish; when it comes back it records them, and nothing else touched them.
		for (long run : driversRuns) {
			Files.writeString(gates.resolve(Long.toString(run)), "");
		}
		Path home = work.resolve(driverHome);
		for (long run : driversRuns) {
			await().atMost(LONG).until(() -> Files.exists(home.resolve("runs").resolve(Long.toString(run)).resolve("exit")));
			assertThat(status(run)).isEqualTo("RUNNING");
		}
		ClusterNode back = start(driverHome, settings);
		assertThat(back.serverId()).isEqualTo(driverId);
		for (long run : driversRuns) {
			await().atMost(LONG).until(() -> "SUCCEEDED".equals(status(run)));
			assertThat(owners(gated).get(run)).isEqualTo(driverId);
		}

		// Confirmation replicates of the first experiment's candidates wait for a gate of their own: let them end.
		Files.writeString(gates.resolve("all"), "");
		await().atMost(LONG).until(() -> "FINISHED".equals(other.get("/api/experiments/" + looped + "/loop")
			.get("loop").get("status").asString()));
		// Nothing ran twice and nothing was lost: one run per proposal (a baseline's replicates are its runs).
		assertThat(count("select count(*) from run where status = 'LOST'")).isZero();
		assertThat(count("""
				select count(*) from (select proposal_id from run where kind = 'PROPOSAL'
				group by proposal_id having count(*) > 1) twice""")).isZero();
		await().atMost(LONG).until(() -> count("select count(*) from run where status in ('QUEUED', 'STARTING', 'RUNNING')")
				== 0);
		assertThat(count("select count(*) from run where experiment_id = ? and kind = 'PROPOSAL' and status = 'SUCCEEDED'",
				gated)).isEqualTo(4);
	}

	@Test
	void runsOfAServerThatStoppedBeatingAreLostAndRunAgainOnceByTheOther() throws Exception {
		Map<String, String> settings = settings("15s");
		settings.put("nightshift.scheduler.cpu-slots", "1");
		ClusterNode first = start("first", settings);
		ClusterNode second = start("second", settings);
		long gated = register(second, "gated", gatedProgram("gated"));
		long one = approve(first, gated, 0.02);
		long two = approve(second, gated, 0.03);
		await().atMost(LONG).until(() -> count("select count(*) from run where experiment_id = ? and status = 'RUNNING'",
				gated) == 2);
		Map<Long, String> owners = owners(gated);
		long firstsRun = owners.entrySet().stream().filter(e -> e.getValue().equals(first.serverId())).findFirst()
			.orElseThrow().getKey();
		long secondsRun = owners.entrySet().stream().filter(e -> e.getValue().equals(second.serverId())).findFirst()
			.orElseThrow().getKey();

		// The first server's machine dies: the server and its training process with it.
		first.close();
		killProcessTree(work.resolve("first").resolve("runs").resolve(Long.toString(firstsRun)));

		await().atMost(LONG).until(() -> "LOST".equals(status(firstsRun)));
		assertThat(text("select error from run where id = ?", firstsRun)).contains("stopped sending heartbeats");
		// Its proposal is queued again, once, and runs on the live server when its slot is free.
		Files.writeString(gates.resolve(Long.toString(secondsRun)), "");
		long proposal = text("select proposal_id from run where id = ?", firstsRun).equals(Long.toString(one)) ? one : two;
		await().atMost(LONG).until(() -> proposalRuns(proposal) == 2);
		long rerun = count("select max(id) from run where proposal_id = ? and kind = 'PROPOSAL'", proposal);
		await().atMost(LONG).until(() -> "RUNNING".equals(status(rerun)) || "SUCCEEDED".equals(status(rerun)));
		Files.writeString(gates.resolve(Long.toString(rerun)), "");
		await().atMost(LONG).until(() -> "SUCCEEDED".equals(status(rerun)));
		assertThat(owners(gated).get(rerun)).isEqualTo(second.serverId());
		await().atMost(LONG).until(() -> "DONE".equals(second.get("/api/proposals/" + proposal).get("status").asString()));
		// The lost run and its one rerun (a confirmation replicate the verdict may ask for is not a rerun).
		assertThat(proposalRuns(proposal)).isEqualTo(2);
	}

	private long proposalRuns(long proposal) throws SQLException {
		return count("select count(*) from run where proposal_id = ? and kind = 'PROPOSAL'", proposal);
	}

	private Map<String, String> settings(String serverTimeout) {
		Map<String, String> settings = new HashMap<>();
		settings.put("nightshift.scheduler.cpu-slots", "2");
		settings.put("nightshift.scheduler.tick", "1s");
		settings.put("nightshift.scheduler.source-root", work.toString());
		settings.put("nightshift.loop.tick", "1s");
		settings.put("nightshift.loop.dead-end-runs", "100");
		settings.put("nightshift.recovery.tick", "2s");
		settings.put("nightshift.cluster.heartbeat", "1s");
		settings.put("nightshift.cluster.server-timeout", serverTimeout);
		settings.put("nightshift.cluster.loop-lease", "3s");
		settings.put("nightshift.cluster.log-ship", "300ms");
		return settings;
	}

	private ClusterNode start(String name, Map<String, String> settings) {
		ClusterNode node = ClusterNode.start(name, work.resolve(name), db, work, settings);
		nodes.add(node);
		return node;
	}

	/**
	 * A program that prints a loss and which run it is, waits for its gate (a file named after its run, or
	 * {@code all}), then reports its val_loss from lr. Its folder is a git repository, so both servers import the
	 * very same commit.
	 */
	private Path gatedProgram(String name) throws Exception {
		return program(name, """
				echo "step=1 loss=2.0"
				echo "run $NIGHTSHIFT_RUN_ID waiting"
				while [ ! -e %1$s/$NIGHTSHIFT_RUN_ID ] && [ ! -e %1$s/all ]; do sleep 0.1; done
				awk "BEGIN { print \\"val_loss: \\" ($LR - 0.02) * ($LR - 0.02) + 0.5 }"
				""".formatted(gates));
	}

	/** A program that waits for the gate {@code loop} (or {@code all}), then reports its val_loss from lr. */
	private Path loopProgram(String name) throws Exception {
		return program(name, """
				echo "step=1 loss=2.0"
				while [ ! -e %1$s/loop ] && [ ! -e %1$s/all ]; do sleep 0.1; done
				awk "BEGIN { print \\"val_loss: \\" ($LR - 0.02) * ($LR - 0.02) + 0.5 }"
				""".formatted(gates));
	}

	private Path program(String name, String script) throws Exception {
		Path source = Files.createDirectories(work.resolve("program-" + name));
		Files.writeString(source.resolve("train.sh"), script);
		git(source, "init", "--quiet");
		git(source, "add", "train.sh");
		git(source, "-c", "user.name=test", "-c", "user.email=test@example.org", "commit", "--quiet", "-m", "program");
		return source;
	}

	private static void git(Path dir, String... args) throws Exception {
		List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String out = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
	}

	private long register(ClusterNode node, String name, Path source) throws Exception {
		String yaml = """
				name: %s
				source: %s
				command: sh train.sh
				objective: {metric: val_loss, goal: minimize}
				budget: {run: 5m}
				parameters:
				  lr: {type: float, min: 0.001, max: 0.1, default: 0.01}
				resources: {gpus: 0}
				noise: {replicates: 1, min_delta: 0.0}
				""".formatted(name, source);
		return node.send("POST", "/api/experiments", "application/yaml", yaml).get("id").asLong();
	}

	private long approve(ClusterNode node, long experiment, double lr) throws Exception {
		long proposal = node.send("POST", "/api/experiments/" + experiment + "/proposals", "application/json",
				"{\"params\": {\"lr\": " + lr + "}, \"rationale\": \"two servers\", \"question\": \"Does lr " + lr
						+ " help?\"}")
			.get("id").asLong();
		node.send("POST", "/api/proposals/" + proposal + "/approve", "application/json", "");
		return proposal;
	}

	private Map<Long, String> owners(long experiment) throws SQLException {
		Map<Long, String> owners = new HashMap<>();
		try (Connection c = connect();
				PreparedStatement s = c.prepareStatement(
						"select id, server_id from run where experiment_id = ? and server_id is not null")) {
			s.setLong(1, experiment);
			try (ResultSet rs = s.executeQuery()) {
				while (rs.next()) {
					owners.put(rs.getLong(1), rs.getString(2));
				}
			}
		}
		return owners;
	}

	private String loopOwner(long experiment) throws SQLException {
		return text("select owner_server_id from research_loop where experiment_id = ? and lease_until is not null",
				experiment);
	}

	private String status(long run) throws SQLException {
		return text("select status from run where id = ?", run);
	}

	private long count(String sql, Object... params) throws SQLException {
		String value = text(sql, params);
		return value == null ? 0 : Long.parseLong(value);
	}

	private String text(String sql, Object... params) throws SQLException {
		try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
			for (int i = 0; i < params.length; i++) {
				s.setObject(i + 1, params[i]);
			}
			try (ResultSet rs = s.executeQuery()) {
				return rs.next() ? rs.getString(1) : null;
			}
		}
	}

	private Connection connect() throws SQLException {
		return DriverManager.getConnection(db.url(), db.username(), db.password());
	}

	/** SIGKILL to the run's wrapper and everything under it. */
	private static void killProcessTree(Path runDir) throws IOException {
		long wrapper = Long.parseLong(Files.readString(runDir.resolve("pid")).strip());
		ProcessHandle.of(wrapper).ifPresent(process -> {
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly();
		});
		await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.of(wrapper).map(p -> !p.isAlive()).orElse(true));
	}
}
