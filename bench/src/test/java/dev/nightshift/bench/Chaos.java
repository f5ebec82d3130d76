package dev.nightshift.bench;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.core.ConditionTimeoutException;
import tools.jackson.databind.JsonNode;

/**
 * What the chaos test does to a running server, one event at a time, each printed with its moment: SIGKILL at a
 * random moment or aimed at a run in STARTING (then the server starts again on the same home and database),
 * the database frozen with SIGSTOP for a few seconds, and 50 parallel approvals of one proposal.
 */
final class Chaos implements AutoCloseable {

	/** How long a moment may be sought (a run in STARTING, some progress) before the event happens anyway. */
	private static final Duration SEEK = Duration.ofSeconds(25);
	/** The server starts six times: the client compiler alone and one GC thread start it sooner on two cores. */
	private static final List<String> JAVA_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
	static final int APPROVERS = 50;

	private final Path jar;
	private final String jdbcUrl;
	private final Path home;
	private final String[] settings;
	private final BenchDatabase database;
	private final Random random;
	private final long began = System.nanoTime();
	private final List<String> log = new ArrayList<>();
	private NightshiftServer server;
	private int kills;
	private int killsInStarting;

	Chaos(Path jar, String jdbcUrl, Path home, BenchDatabase database, Random random, String... settings) {
		this.jar = jar;
		this.jdbcUrl = jdbcUrl;
		this.home = home;
		this.database = database;
		this.random = random;
		this.settings = settings;
	}

	/** The outcome of the approval race: the proposal, and how many answers of each HTTP status (-1: no answer). */
	record Race(long proposal, Map<Integer, Integer> answers) {
	}

	NightshiftServer server() {
		return server;
	}

	int kills() {
		return kills;
	}

	int killsInStarting() {
		return killsInStarting;
	}

	List<String> log() {
		return log;
	}

	void start() throws IOException, InterruptedException {
		long started = System.nanoTime();
		server = NightshiftServer.start(jar, jdbcUrl, home, JAVA_OPTIONS, settings);
		note("server started (pid " + server.pid() + ") in " + seconds(System.nanoTime() - started) + " s");
	}

	/** Lets the loop move on: until {@code runs} more runs have ended than now, or the loop has ended. */
	void awaitProgress(long experiment, int runs) throws Exception {
		int target = finishedRuns(experiment) + runs;
		try {
			await().atMost(SEEK).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
				.until(() -> finishedRuns(experiment) >= target || !loopActive(experiment));
		}
		catch (ConditionTimeoutException ex) {
			note("no progress: fewer than " + runs + " run(s) ended within " + SEEK.toSeconds() + " s");
		}
	}

	/** SIGKILL after a random delay of up to 2.5 s, then a start on the same home and database. */
	void killAtRandomMoment(long experiment) throws Exception {
		long delayMs = random.nextInt(2_500);
		// The moment is chosen, not awaited: this pause is the schedule itself.
		Thread.sleep(delayMs);
		String active = describe(activeRuns(experiment));
		killAndRestart("at a random moment (" + delayMs + " ms after the loop moved on); active: " + active);
	}

	/** Polls the API for a run in STARTING and kills the server the moment one is seen. */
	void killInStarting(long experiment) throws Exception {
		AtomicReference<List<JsonNode>> seen = new AtomicReference<>();
		try {
			await().atMost(SEEK).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10)).ignoreExceptions()
				.until(() -> {
					List<JsonNode> active = activeRuns(experiment);
					seen.set(active);
					return active.stream().anyMatch(run -> "STARTING".equals(run.get("status").asString()));
				});
			killsInStarting++;
			killAndRestart("aimed at STARTING; active: " + describe(seen.get()));
		}
		catch (ConditionTimeoutException ex) {
			killAndRestart("aimed at STARTING, but none was seen within " + SEEK.toSeconds() + " s; active: "
					+ (seen.get() == null ? "?" : describe(seen.get())));
		}
	}

	private void killAndRestart(String why) throws Exception {
		long pid = server.pid();
		server.kill();
		kills++;
		note("SIGKILL " + kills + " to server pid " + pid + " " + why);
		start();
	}

	/** Freezes the database with SIGSTOP for 2 to 5 s while the loop runs, then lets it go on (SIGCONT). */
	void pauseDatabase(long experiment) throws Exception {
		String active = describe(activeRuns(experiment));
		long pauseMs = 2_000 + random.nextInt(3_000);
		try (BenchDatabase.Paused paused = database.pause()) {
			note("SIGSTOP to PostgreSQL (" + paused.pids().size() + " processes, postmaster " + paused.pids().get(0)
					+ ") for " + pauseMs + " ms; active: " + active);
			// The length of the stall is the schedule itself, not a wait for something.
			Thread.sleep(pauseMs);
		}
		note("SIGCONT to PostgreSQL");
	}

	/**
	 * A person's parameters-only proposal, approved by {@value #APPROVERS} threads at once; waits until it has
	 * left APPROVED (its run queued) or {@link #SEEK} has passed.
	 */
	Race approveRace(long experiment) throws Exception {
		long proposal = server.json("POST", "/api/experiments/" + experiment + "/proposals", "application/json", """
				{"params": {"lr": 0.0123, "width": 77}, "rationale": "approved by fifty people at once",
				 "question": "Does lr 0.0123 at width 77 beat the best?"}""").get("id").asLong();
		CountDownLatch ready = new CountDownLatch(APPROVERS);
		CountDownLatch go = new CountDownLatch(1);
		ExecutorService approvers = Executors.newFixedThreadPool(APPROVERS);
		Map<Integer, Integer> answers = new TreeMap<>();
		try {
			List<Future<Integer>> statuses = new ArrayList<>();
			for (int i = 0; i < APPROVERS; i++) {
				statuses.add(approvers.submit(() -> {
					ready.countDown();
					go.await();
					try {
						return server.send("POST", "/api/proposals/" + proposal + "/approve", "application/json", "").status();
					}
					catch (IOException ex) {
						return -1;
					}
				}));
			}
			ready.await();
			go.countDown();
			for (Future<Integer> status : statuses) {
				answers.merge(status.get(), 1, Integer::sum);
			}
		}
		finally {
			approvers.shutdownNow();
		}
		String status;
		try {
			await().atMost(SEEK).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
				.until(() -> !"APPROVED".equals(proposalStatus(proposal)));
		}
		catch (ConditionTimeoutException ex) {
			note("proposal " + proposal + " stayed APPROVED for " + SEEK.toSeconds() + " s");
		}
		status = proposalStatus(proposal);
		long runs = ChaosFindings.runs(server, experiment).stream()
			.filter(run -> ChaosFindings.proposalOf(run) == proposal)
			.count();
		note(APPROVERS + " parallel approvals of proposal " + proposal + " answered " + answers + "; it is " + status
				+ " with " + runs + " run(s)");
		return new Race(proposal, answers);
	}

	private String proposalStatus(long proposal) throws Exception {
		return server.json("GET", "/api/proposals/" + proposal, null, null).get("status").asString();
	}

	private int finishedRuns(long experiment) throws Exception {
		return (int) ChaosFindings.runs(server, experiment).stream().filter(ChaosFindings::isFinal).count();
	}

	boolean loopActive(long experiment) throws Exception {
		String status = loop(experiment).path("loop").path("status").asString();
		return "RUNNING".equals(status) || "PAUSED".equals(status);
	}

	JsonNode loop(long experiment) throws Exception {
		return server.json("GET", "/api/experiments/" + experiment + "/loop", null, null);
	}

	private List<JsonNode> activeRuns(long experiment) throws Exception {
		List<JsonNode> active = new ArrayList<>();
		server.json("GET", "/api/experiments/" + experiment + "/runs?status=QUEUED,STARTING,RUNNING&size=50", null, null)
			.get("items")
			.forEach(active::add);
		return active;
	}

	static String describe(List<JsonNode> runs) {
		if (runs.isEmpty()) {
			return "none";
		}
		List<String> words = new ArrayList<>();
		for (JsonNode run : runs) {
			words.add("run " + run.get("id").asLong() + " " + run.get("status").asString() + " ("
					+ run.get("kind").asString() + (ChaosFindings.proposalOf(run) < 0 ? "" : " of proposal "
							+ ChaosFindings.proposalOf(run)) + ")");
		}
		return String.join(", ", words);
	}

	/** Prints a line of what was done, with its moment since the test began. */
	void note(String what) {
		String line = String.format("[chaos %6.1f s] %s", (System.nanoTime() - began) / 1e9, what);
		log.add(line);
		System.out.println(line);
	}

	private static String seconds(long nanos) {
		return String.format("%.1f", nanos / 1e9);
	}

	@Override
	public void close() {
		if (server != null) {
			server.close();
		}
	}
}
