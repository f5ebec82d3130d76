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
 * The duty cycle with a slow model: the server's loop fed by the LLM researcher talking to a stand-in model at
 * the wire ({@link SlowModel}) that answers correctly after a fixed latency, against the same loop with the
 * model's calls one at a time and one proposal per call (as the loop worked before calls ran in parallel), and
 * against a built-in strategy, which costs no time to ask. Same slots, same lookahead, same runs.
 */
final class ModelDutyBench {

	/**
	 * How many times set-up (b)'s 60 s runs and 10 s model are scaled down ({@code -Dbench.duty-b-scale}, default
	 * 10: 6 s runs and a 1 s model, the same ratio; 1 runs it at full size, about 6 minutes a loop).
	 */
	static final double B_SCALE = Double.parseDouble(System.getProperty("bench.duty-b-scale", "10"));

	/** The set-ups of the issue: (a) 2 slots, 4 s runs, a 3 s model; (b) 8 slots, 60 s runs, a 10 s model. */
	static final List<Setup> SETUPS = List.of(new Setup("a", 2, 20, 4.0, 3.0),
			new Setup("b", 8, 48, 60.0 / B_SCALE, 10.0 / B_SCALE));

	/** The set-ups named by {@code -Dbench.duty-setups=a,b} (default all). */
	static List<Setup> chosen() {
		List<String> names = List.of(System.getProperty("bench.duty-setups", "a,b").split(","));
		return SETUPS.stream().filter(setup -> names.contains(setup.name())).toList();
	}

	static final int LOOKAHEAD = 2;

	/** The ways of feeding the slots that are compared. */
	static final List<String> VARIANTS = List.of("strategy", "model-parallel", "model-serial");

	/** The variants named by {@code -Dbench.duty-variants=strategy,model-parallel} (default all). */
	static List<String> chosenVariants() {
		List<String> names = List.of(System.getProperty("bench.duty-variants", String.join(",", VARIANTS)).split(","));
		return VARIANTS.stream().filter(names::contains).toList();
	}

	/**
	 * @param slots        CPU slots
	 * @param runs         proposals the loop runs ({@code maxRuns})
	 * @param runSeconds   how long each run takes
	 * @param modelSeconds how long the model takes to answer any call
	 */
	record Setup(String name, int slots, int runs, double runSeconds, double modelSeconds) {
	}

	private final Path jar;
	private final List<Setup> setups;
	private final List<String> variants;

	ModelDutyBench(Path jar, List<Setup> setups, List<String> variants) {
		this.jar = jar;
		this.setups = setups;
		this.variants = variants;
	}

	Map<String, Object> run() throws Exception {
		Map<String, Object> result = new LinkedHashMap<>();
		List<List<String>> rows = new ArrayList<>();
		rows.add(List.of("set-up", "loop", "slots", "runs", "gap p50 ms", "gap p95 ms", "claimed to spawned p95 ms",
				"busy", "busy (steady)", "ramp s", "tail s", "model calls/run", "in flight mean", "in flight max", "wall s"));
		Path work = Files.createTempDirectory("nightshift-duty-model-");
		try (BenchDatabase postgres = BenchDatabase.start()) {
			for (Setup setup : setups) {
				Path folder = work.resolve(setup.name());
				Files.createDirectories(folder.resolve("duty"));
				Files.writeString(folder.resolve("duty").resolve("train.py"), DutyCycleBench.PROGRAM.formatted(setup.runSeconds()));
				Map<String, Object> numbers = new LinkedHashMap<>();
				numbers.put("setup", setup);
				for (String variant : variants) {
					Map<String, Object> measured = measure(postgres, folder, setup, variant);
					numbers.put(variant, measured);
					rows.add(List.of(setup.name(), variant, Integer.toString(setup.slots()),
							measured.get("runs_with_timestamps").toString(), ms((double) measured.get("gap_p50_ms")),
							ms((double) measured.get("gap_p95_ms")), ms(claimedToSpawnedP95(measured)),
							String.format("%.1f%%", 100 * (double) measured.get("busy_fraction")),
							String.format("%.1f%%", 100 * (double) measured.get("busy_fraction_steady")),
							String.format("%.1f", (double) measured.get("ramp_seconds")),
							String.format("%.1f", (double) measured.get("tail_seconds")),
							String.format("%.2f", (double) measured.get("model_calls_per_run")),
							String.format("%.2f", (double) measured.get("calls_in_flight_mean")),
							measured.get("calls_in_flight_max").toString(),
							String.format("%.1f", (double) measured.get("wall_seconds"))));
				}
				result.put("setup_" + setup.name(), numbers);
			}
		}
		finally {
			FileSystemUtils.deleteRecursively(work);
		}
		Bench.table("duty with a slow model: lookahead " + LOOKAHEAD + "; gap = previous program's end to the next"
				+ " process spawned on the same slot; busy over the slots' time from first start to last end; steady:"
				+ " from the last slot's first start to the first slot's last end", rows);
		return result;
	}

	private Map<String, Object> measure(BenchDatabase postgres, Path folder, Setup setup, String variant)
			throws Exception {
		String database = "duty_model_" + setup.name() + "_" + variant.replace('-', '_');
		String url = postgres.create(database);
		List<String> settings = new ArrayList<>(List.of("nightshift.scheduler.cpu-slots=" + setup.slots(),
				"nightshift.scheduler.nvidia-smi=false", "nightshift.scheduler.source-root=" + folder,
				"nightshift.loop.strategy=" + DutyCycleBench.STRATEGY,
				"nightshift.loop.dead-end-runs=" + (setup.runs() + 1)));
		try (SlowModel model = new SlowModel(Duration.ofMillis((long) (setup.modelSeconds() * 1000)))) {
			if (!variant.equals("strategy")) {
				settings.addAll(List.of("nightshift.agent.provider=openai", "nightshift.agent.model=stand-in",
						"nightshift.agent.base-url=" + model.baseUrl(), "nightshift.agent.max-calls-per-hour=100000"));
			}
			if (variant.equals("model-serial")) {
				settings.addAll(List.of("nightshift.agent.max-concurrency=1", "nightshift.agent.max-proposals-per-call=1"));
			}
			try (NightshiftServer server = NightshiftServer.start(jar, url, folder.resolve("home-" + variant),
					settings.toArray(String[]::new))) {
				long experiment = server.json("POST", "/api/experiments", "application/yaml", DutyCycleBench.spec(setup.runSeconds()))
					.get("id").asLong();
				server.json("POST", "/api/experiments/" + experiment + "/loop", "application/json",
						"{\"policy\": \"auto\", \"maxRuns\": " + setup.runs() + ", \"lookahead\": " + LOOKAHEAD + "}");
				String stopReason = awaitFinished(server, experiment, setup);
				DutyCycleBench.Variant measured;
				try (HikariDataSource data = postgres.migrated(database)) {
					measured = DutyCycleBench.variant(variant, setup.slots(), LOOKAHEAD, JdbcClient.create(data),
							experiment, stopReason);
				}
				return numbers(measured, model.calls(), stopReason);
			}
		}
	}

	private static Map<String, Object> numbers(DutyCycleBench.Variant measured, List<SlowModel.Call> calls,
			String stopReason) {
		Map<String, Object> numbers = new LinkedHashMap<>();
		numbers.put("runs_with_timestamps", measured.finishedRuns());
		numbers.put("gap_p50_ms", measured.percentile(50));
		numbers.put("gap_p95_ms", measured.percentile(95));
		numbers.put("gap_max_ms", measured.percentile(100));
		numbers.put("busy_fraction", measured.busyOwnSlots());
		numbers.put("busy_fraction_steady", measured.busySteady());
		numbers.put("ramp_seconds", measured.rampSeconds());
		numbers.put("tail_seconds", measured.tailSeconds());
		numbers.put("gap_stages", measured.stagePercentiles());
		numbers.put("wall_seconds", measured.wallSeconds());
		long proposalCalls = calls.stream().filter(SlowModel.Call::proposal).count();
		numbers.put("proposal_calls", proposalCalls);
		numbers.put("reflection_calls", calls.size() - proposalCalls);
		numbers.put("model_calls_per_run", calls.size() / (double) Math.max(1, measured.finishedRuns()));
		List<Integer> inFlight = List.of(0);
		if (!calls.isEmpty()) {
			double from = calls.stream().mapToDouble(SlowModel.Call::began).min().orElse(0);
			double to = calls.stream().mapToDouble(SlowModel.Call::ended).max().orElse(from);
			inFlight = SlowModel.inFlight(calls, from, to, 1.0);
		}
		numbers.put("calls_in_flight_per_second", inFlight);
		numbers.put("calls_in_flight_mean", inFlight.stream().mapToInt(Integer::intValue).average().orElse(0));
		numbers.put("calls_in_flight_max", inFlight.stream().mapToInt(Integer::intValue).max().orElse(0));
		numbers.put("loop_stop_reason", stopReason);
		return numbers;
	}

	@SuppressWarnings("unchecked")
	private static double claimedToSpawnedP95(Map<String, Object> measured) {
		Map<String, Map<String, Object>> stages = (Map<String, Map<String, Object>>) measured.get("gap_stages");
		return (double) stages.get(DutyCycleBench.STAGES.get(1)).get("p95_ms");
	}

	private static String awaitFinished(NightshiftServer server, long experiment, Setup setup) throws Exception {
		Duration limit = Duration.ofSeconds((long) (setup.runs() * (setup.runSeconds() + 2 * setup.modelSeconds() + 3)
				+ 180));
		long deadline = System.nanoTime() + limit.toNanos();
		while (System.nanoTime() < deadline) {
			JsonNode loop = server.json("GET", "/api/experiments/" + experiment + "/loop", null, null);
			String status = loop.path("loop").path("status").asString();
			if (!"RUNNING".equals(status) && !"PAUSED".equals(status)) {
				return loop.path("loop").path("stopReason").asString();
			}
			Thread.sleep(500);
		}
		throw new IllegalStateException("The loop of set-up " + setup.name() + " did not finish within " + limit
				+ "; server log:\n" + server.tail());
	}

	private static String ms(double value) {
		return Double.isNaN(value) ? "-" : String.format("%.0f", value);
	}
}
