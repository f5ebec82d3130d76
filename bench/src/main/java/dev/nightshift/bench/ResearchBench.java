package dev.nightshift.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;

/**
 * Dead-end precision: can the research memory be trusted? The real server ({@code java -jar}) runs an overnight
 * loop on the {@link ResearchProgram}, whose truth is known, twice: with the built-in {@code tpe} strategy, and
 * with the LLM researcher talking to a {@link StandInModel} at the wire (patches, one-factor questions, a fix
 * when shown the crash). Its conclusions are then scored from its database ({@link ResearchScore}): how many
 * dead ends are true, how many true dead ends were found, false KEEPs, questions left open, the crash, and the
 * best noise-free loss reached after so many runs.
 */
final class ResearchBench {

	static final int RUNS = 48;

	static final int SLOTS = 2;

	static final int LOOKAHEAD = 1;

	static final double TARGET_PRECISION = 0.95;

	private final Path jar;

	private final int runs;

	ResearchBench(Path jar, int runs) {
		this.jar = jar;
		this.runs = runs;
	}

	Map<String, Object> run() throws Exception {
		Path work = Files.createTempDirectory("nightshift-research-");
		Path source = work.resolve("research");
		Files.createDirectories(source);
		Files.writeString(source.resolve("train.py"), ResearchProgram.PROGRAM);
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("runs", runs);
		result.put("noise_sd", ResearchProgram.NOISE);
		result.put("tolerance", ResearchProgram.TOLERANCE);
		try (BenchDatabase postgres = BenchDatabase.start()) {
			result.put("tpe", measure(postgres, work, "tpe", null));
			try (StandInModel model = StandInModel.start()) {
				Map<String, Object> llm = measure(postgres, work, "llm", model);
				llm.put("stand_in_model", model.report());
				result.put("llm", llm);
			}
		}
		finally {
			FileSystemUtils.deleteRecursively(work);
		}
		report(result);
		return result;
	}

	private Map<String, Object> measure(BenchDatabase postgres, Path work, String name, StandInModel model)
			throws Exception {
		String database = "research_" + name;
		String url = postgres.create(database);
		List<String> settings = new ArrayList<>(List.of("nightshift.scheduler.cpu-slots=" + SLOTS,
				"nightshift.scheduler.nvidia-smi=false", "nightshift.scheduler.source-root=" + work,
				"nightshift.loop.strategy=tpe",
				// A stand-in that is never wrong for long: the breaker's rests would only make the night longer.
				"nightshift.loop.breaker.backoff=1s", "nightshift.loop.breaker.max-backoff=2s"));
		if (model != null) {
			Path key = work.resolve("standin.key");
			Files.writeString(key, "sk-standin-not-a-secret");
			settings.addAll(List.of("nightshift.agent.provider=openai", "nightshift.agent.model=standin",
					"nightshift.agent.base-url=" + model.baseUrl(), "nightshift.agent.api-key-file=" + key));
		}
		// What is measured is what the server concludes, not its speed: a quick start matters more on a busy machine.
		try (NightshiftServer server = NightshiftServer.start(jar, url, work.resolve("home-" + name),
				List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), settings.toArray(String[]::new))) {
			long experiment = server.json("POST", "/api/experiments", "application/yaml", ResearchProgram.SPEC)
				.get("id")
				.asLong();
			server.json("POST", "/api/experiments/" + experiment + "/loop", "application/json",
					"{\"policy\": \"auto\", \"maxRuns\": " + runs + ", \"lookahead\": " + LOOKAHEAD + "}");
			String stopReason = awaitEnded(server, experiment);
			try (HikariDataSource data = postgres.migrated(database)) {
				JdbcClient jdbc = JdbcClient.create(data);
				awaitRunsEnded(jdbc, experiment, server);
				Map<String, Object> numbers = new LinkedHashMap<>();
				numbers.put("loop_stop_reason", stopReason);
				numbers.putAll(new ResearchScore(jdbc, experiment).score(budgets()));
				return numbers;
			}
		}
	}

	/** Run budgets at which the best is read: a quarter, half and all of the runs. */
	List<Integer> budgets() {
		return List.of(Math.max(1, runs / 4), Math.max(1, runs / 2), runs);
	}

	/** Waits for the loop to end (or its breaker to pause it) and returns why. */
	private String awaitEnded(NightshiftServer server, long experiment) throws Exception {
		Duration limit = Duration.ofSeconds(runs * 4L + 180);
		long deadline = System.nanoTime() + limit.toNanos();
		while (System.nanoTime() < deadline) {
			JsonNode loop = server.json("GET", "/api/experiments/" + experiment + "/loop", null, null).path("loop");
			if (!"RUNNING".equals(loop.path("status").asString())) {
				return loop.path("status").asString() + ": " + loop.path("stopReason").asString();
			}
			Thread.sleep(500);
		}
		throw new IllegalStateException("The loop did not end within " + limit + "; server log:\n" + server.tail());
	}

	/** A loop that has ended may still have runs going (replicates); the score reads them finished. */
	private static void awaitRunsEnded(JdbcClient jdbc, long experiment, NightshiftServer server) throws Exception {
		long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
		while (jdbc.sql("select count(*) from run where experiment_id = ? and finished_at is null")
			.param(experiment)
			.query(Long.class)
			.single() > 0) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Runs were still going 3 minutes after the loop ended; server log:\n"
						+ server.tail());
			}
			Thread.sleep(500);
		}
	}

	@SuppressWarnings("unchecked")
	private void report(Map<String, Object> result) {
		List<Integer> budgets = budgets();
		List<String> header = new ArrayList<>(List.of("proposer", "runs", "questions", "DEAD_END (true)", "precision",
				"by factor", "recall", "REFUTED (true)", "SUPPORTED (true)", "OPEN", "KEEP (false)", "kept changes supported",
				"crash recovered", "by debug step"));
		budgets.forEach(budget -> header.add("best after " + budget));
		List<List<String>> rows = new ArrayList<>();
		rows.add(header);
		for (String variant : List.of("tpe", "llm")) {
			Map<String, Object> n = (Map<String, Object>) result.get(variant);
			List<String> row = new ArrayList<>(List.of(variant.equals("tpe") ? "strategy:tpe" : "llm (stand-in)",
					n.get("runs_finished").toString(), n.get("questions_with_runs").toString(),
					n.get("dead_ends") + " (" + n.get("dead_ends_true") + ")", percent((double) n.get("dead_end_precision")),
					percent((double) n.get("dead_end_precision_by_factor")), percent((double) n.get("dead_end_recall")),
					n.get("refuted") + " (" + n.get("refuted_true") + ")",
					n.get("supported") + " (" + n.get("supported_true") + ")", n.get("open").toString(),
					n.get("keeps") + " (" + n.get("false_keeps") + ")",
					n.get("kept_changes_supported") + " of " + n.get("kept_changes"),
					yesNo(n.get("crashed"), n.get("crash_recovered")),
					yesNo(n.get("crashed"), n.get("crash_fixed_by_debug_step"))));
			Map<String, Object> best = (Map<String, Object>) n.get("best_true_loss_after_runs");
			budgets.forEach(budget -> row.add(best.get(Integer.toString(budget)) == null ? "-"
					: String.format("%.3f", (double) best.get(Integer.toString(budget)))));
			rows.add(row);
		}
		Bench.table("research: " + runs + " runs per loop; dead-end precision = true DEAD_ENDs / DEAD_ENDs; best = "
				+ "noise-free loss of the server's best (optimum " + String.format("%.2f", ResearchProgram.OPTIMUM) + ")", rows);
		for (String variant : List.of("tpe", "llm")) {
			for (Map<String, Object> closing : (List<Map<String, Object>>) ((Map<String, Object>) result.get(variant))
				.get("closings")) {
				System.out.println(variant + ": " + closing.get("status") + (Boolean.TRUE.equals(closing.get("true")) ? "" : " (false)")
						+ ": " + closing.get("question") + " (best gain in its direction " + closing.get("best_gain_in_its_direction")
						+ "; " + closing.get("conclusion") + ")");
			}
		}
		double worst = List.of(precision(result, "tpe"), precision(result, "llm")).stream()
			.filter(p -> !Double.isNaN(p))
			.min(Double::compare)
			.orElse(Double.NaN);
		result.put("target", "dead-end precision >= 95 %, no false KEEP, every kept change SUPPORTED, the crash fixed by the debug step");
		System.out.println("target (dead-end precision >= 95 % for both proposers): "
				+ (Double.isNaN(worst) ? "no dead ends to score" : worst >= TARGET_PRECISION ? "MET" : "NOT MET"));
	}

	@SuppressWarnings("unchecked")
	private static double precision(Map<String, Object> result, String variant) {
		return (double) ((Map<String, Object>) result.get(variant)).get("dead_end_precision");
	}

	private static String percent(double fraction) {
		return Double.isNaN(fraction) ? "-" : String.format("%.0f %%", fraction * 100);
	}

	private static String yesNo(Object crashed, Object done) {
		return !Boolean.TRUE.equals(crashed) ? "no crash" : Boolean.TRUE.equals(done) ? "yes" : "no";
	}
}
