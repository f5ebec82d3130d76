package dev.nightshift.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;

/**
 * GPU duty cycle: how long a slot stands idle between one run's process ending and the next one's starting,
 * while the server's own overnight loop (a built-in strategy, {@code auto} policy, lookahead) feeds it short
 * runs; against a sequential propose-then-run loop, as autoresearch works (one slot, lookahead 0: the next
 * proposal is asked for only when the last run has finished), in the same run on the same machine.
 *
 * <p>Both are the real server ({@code java -jar}) over its HTTP API. The training program takes its own
 * timestamps when it starts and just before it exits and reports them as metrics. The gap runs from the
 * previous program's last timestamp to the server's record that it spawned the next process (taken after the
 * spawn), so it holds everything the server does in between (seeing the exit, freeing the slot, dispatching,
 * the git worktree, the launch) and errs long. The interpreter's own start is reported apart: it belongs to
 * the training program, not to the server.
 */
final class DutyCycleBench {

	static final int RUNS = 200;
	static final double RUN_SECONDS = 1.0;
	static final int SLOTS = 2;
	static final int LOOKAHEAD = 2;
	static final String STRATEGY = "tpe";
	static final double TARGET_P95_MS = 250;
	/** The lookahead loop again, with the server's workspace prefetch switched off. */
	static final String NO_PREFETCH = "lookahead-no-prefetch";

	static final String PROGRAM = """
			import json, os, time
			began = time.time()
			print(json.dumps({"bench_start": began}), flush=True)
			with open(os.environ["NIGHTSHIFT_PARAMS"]) as f:
			    p = json.load(f)
			import math, random
			# A smooth landscape with noise, as a training run's final loss: the loop never runs out of ideas.
			loss = 1.0 + (math.log10(p["lr"]) + 2.0) ** 2 + (math.log2(p["width"]) - 7.0) ** 2 / 10.0
			loss += random.gauss(0.0, 0.05)
			for step in range(1, 5):
			    time.sleep(%s / 4)
			    print(f"step={step} loss={loss + 1.0 / step:.6f}", flush=True)
			print(json.dumps({"val_loss": loss, "bench_end": time.time()}), flush=True)
			""";

	private static final String SPEC = """
			name: duty
			source: duty
			command: python3 train.py
			editable: [train.py]
			objective: {metric: val_loss, goal: minimize}
			budget: {run: %dm}
			parameters:
			  lr:    {type: float, min: 1.0e-4, max: 1.0, log: true, default: 1.0e-3}
			  width: {type: int, min: 16, max: 1024, log: true, default: 32}
			resources: {gpus: 0}
			noise: {replicates: 2, min_delta: 0.0}
			brief: A one-second stand-in for a training run; lower val_loss is better.
			""";

	/**
	 * The experiment for runs of {@code runSeconds}: its budget leaves them three times that (a minute at least), so
	 * that no run of a full-size set-up is stopped at its budget before it reports its end.
	 */
	static String spec(double runSeconds) {
		return SPEC.formatted(Math.max(1, (long) Math.ceil(runSeconds * 3 / 60)));
	}

	private final Path jar;
	private final int runs;
	private final double runSeconds;

	DutyCycleBench(Path jar, int runs, double runSeconds) {
		this.jar = jar;
		this.runs = runs;
		this.runSeconds = runSeconds;
	}

	/** One way of feeding the slots, and what it gave. */
	record Variant(String name, int slots, int lookahead, List<Double> gapsMs, List<Double> programGapsMs,
			Map<String, List<Double>> stagesMs, double busyOwnSlots, double busyMachine, double busySteady,
			double rampSeconds, double tailSeconds, double wallSeconds, int finishedRuns, String stopReason) {

		double percentile(double p) {
			return DutyCycleBench.percentile(gapsMs, p);
		}

		/** The p50 and p95 of each stage of the gap, in {@link #STAGES}' order. */
		Map<String, Object> stagePercentiles() {
			Map<String, Object> stages = new LinkedHashMap<>();
			stagesMs.forEach((stage, values) -> stages.put(stage,
					Map.of("p50_ms", DutyCycleBench.percentile(values, 50), "p95_ms", DutyCycleBench.percentile(values, 95))));
			return stages;
		}
	}

	Map<String, Object> run() throws Exception {
		Path work = Files.createTempDirectory("nightshift-duty-");
		Path source = work.resolve("duty");
		Files.createDirectories(source);
		Files.writeString(source.resolve("train.py"), PROGRAM.formatted(runSeconds));
		List<Variant> variants = new ArrayList<>();
		try (BenchDatabase postgres = BenchDatabase.start()) {
			variants.add(measure(postgres, work, "lookahead", SLOTS, LOOKAHEAD));
			variants.add(measure(postgres, work, "sequential", 1, 0));
			// The same lookahead loop with the workspace prefetch off: each claim checks its code out (issue 15).
			variants.add(measure(postgres, work, NO_PREFETCH, SLOTS, LOOKAHEAD, false));
		}
		finally {
			FileSystemUtils.deleteRecursively(work);
		}
		return report(variants);
	}

	private Variant measure(BenchDatabase postgres, Path work, String name, int slots, int lookahead) throws Exception {
		return measure(postgres, work, name, slots, lookahead, true);
	}

	private Variant measure(BenchDatabase postgres, Path work, String name, int slots, int lookahead, boolean prefetch)
			throws Exception {
		String database = "duty_" + name.replace('-', '_');
		String url = postgres.create(database);
		try (NightshiftServer server = NightshiftServer.start(jar, url, work.resolve("home-" + name),
				"nightshift.scheduler.cpu-slots=" + slots, "nightshift.scheduler.nvidia-smi=false",
				"nightshift.scheduler.source-root=" + work, "nightshift.loop.strategy=" + STRATEGY,
				// What is measured is the scheduling, not the research: with the default of 3, every direction
				// around a converged best becomes a dead end within a few dozen runs, and the loop ends early.
				"nightshift.loop.dead-end-runs=" + (runs + 1), "nightshift.scheduler.workspace-prefetch=" + prefetch)) {
			long experiment = server.json("POST", "/api/experiments", "application/yaml", spec(runSeconds)).get("id").asLong();
			server.json("POST", "/api/experiments/" + experiment + "/loop", "application/json",
					"{\"policy\": \"auto\", \"maxRuns\": " + runs + ", \"lookahead\": " + lookahead + "}");
			String stopReason = awaitFinished(server, experiment);
			try (HikariDataSource data = postgres.migrated(database)) {
				return variant(name, slots, lookahead, JdbcClient.create(data), experiment, stopReason);
			}
		}
	}

	/** Waits for the loop to end and returns why it ended. */
	private String awaitFinished(NightshiftServer server, long experiment) throws Exception {
		// Generous: a sequential loop with one second of server time between runs still finishes well inside it.
		Duration limit = Duration.ofSeconds((long) (runs * (runSeconds + 3) + 120));
		long deadline = System.nanoTime() + limit.toNanos();
		while (System.nanoTime() < deadline) {
			JsonNode loop = server.json("GET", "/api/experiments/" + experiment + "/loop", null, null);
			String status = loop.path("loop").path("status").asString();
			if (!"RUNNING".equals(status) && !"PAUSED".equals(status)) {
				return loop.path("loop").path("stopReason").asString();
			}
			Thread.sleep(500);
		}
		throw new IllegalStateException("The loop did not finish " + runs + " runs within " + limit + "; server log:\n"
				+ server.tail());
	}

	/**
	 * A run as its process saw itself (when its program started and ended) and as the server recorded it (when a
	 * slot claimed it, when its process was spawned, when its end was recorded); epoch seconds.
	 */
	private record Span(String slot, double start, double end, double claimed, double spawned, double recorded) {
	}

	/** Where a gap goes, stage by stage, in the order they happen. */
	static final List<String> STAGES = List.of("program end to next run claimed (exit seen, slot freed, dispatch)",
			"claimed to process spawned (git worktree, run folder, launch)",
			"program end to its outcome recorded (in parallel with the above)",
			"spawned to program running (the interpreter's start; not in the gap)");

	static Variant variant(String name, int slots, int lookahead, JdbcClient jdbc, long experiment,
			String stopReason) {
		List<Span> spans = jdbc.sql("""
				select r.slot,
				       (select value from metric_point m where m.run_id = r.id and m.name = 'bench_start') as began,
				       (select value from metric_point m where m.run_id = r.id and m.name = 'bench_end') as ended,
				       extract(epoch from (select min(at) from state_change c where c.aggregate = 'RUN'
				                           and c.aggregate_id = r.id and c.to_state = 'STARTING')) as claimed,
				       extract(epoch from r.started_at) as spawned, extract(epoch from r.finished_at) as recorded
				from run r where r.experiment_id = ? and r.started_at is not null order by r.slot, began""")
			.param(experiment)
			.query((rs, row) -> new Span(rs.getString("slot"), rs.getDouble("began"), rs.getDouble("ended"),
					rs.getDouble("claimed"), rs.getDouble("spawned"), rs.getDouble("recorded")))
			.list()
			.stream()
			.filter(span -> span.start() > 0 && span.end() > 0)
			.toList();
		if (spans.isEmpty()) {
			List<String> outcomes = jdbc.sql("select status || ' ' || count(*) from run where experiment_id = ? group by status")
				.param(experiment)
				.query(String.class)
				.list();
			throw new IllegalStateException("No run of the " + name + " loop reported its timestamps; its runs: "
					+ outcomes + "; the loop ended: " + stopReason);
		}
		List<Double> gaps = new ArrayList<>();
		List<Double> programGaps = new ArrayList<>();
		Map<String, List<Double>> stages = new LinkedHashMap<>();
		STAGES.forEach(stage -> stages.put(stage, new ArrayList<>()));
		double busy = 0;
		double first = Double.MAX_VALUE;
		double last = 0;
		for (int i = 0; i < spans.size(); i++) {
			Span span = spans.get(i);
			busy += span.end() - span.start();
			first = Math.min(first, span.start());
			last = Math.max(last, span.end());
			if (i > 0 && spans.get(i - 1).slot().equals(span.slot())) {
				Span previous = spans.get(i - 1);
				gaps.add((span.spawned() - previous.end()) * 1000);
				programGaps.add((span.start() - previous.end()) * 1000);
				stages.get(STAGES.get(0)).add((span.claimed() - previous.end()) * 1000);
				stages.get(STAGES.get(1)).add((span.spawned() - span.claimed()) * 1000);
				stages.get(STAGES.get(2)).add((previous.recorded() - previous.end()) * 1000);
				stages.get(STAGES.get(3)).add((span.start() - span.spawned()) * 1000);
			}
		}
		double wall = last - first;
		Map<String, double[]> bounds = slotBounds(spans);
		return new Variant(name, slots, lookahead, gaps, programGaps, stages, busy / (slots * wall), busy / (SLOTS * wall),
				busySteady(spans, bounds), spread(bounds, 0), spread(bounds, 1), wall, spans.size(), stopReason);
	}

	private Map<String, Object> report(List<Variant> variants) {
		List<List<String>> rows = new ArrayList<>();
		rows.add(List.of("loop", "slots", "lookahead", "runs", "gap p50 ms", "gap p95 ms", "gap max ms",
				"to program p95 ms", "busy (own slots)", "busy (" + SLOTS + " slots)", "wall s"));
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("runs", runs);
		result.put("run_seconds", runSeconds);
		result.put("strategy", STRATEGY);
		for (Variant variant : variants) {
			rows.add(List.of(variant.name(), Integer.toString(variant.slots()), Integer.toString(variant.lookahead()),
					Integer.toString(variant.finishedRuns()), ms(variant.percentile(50)), ms(variant.percentile(95)),
					ms(variant.percentile(100)), ms(percentile(variant.programGapsMs(), 95)),
					percent(variant.busyOwnSlots()), percent(variant.busyMachine()),
					String.format("%.1f", variant.wallSeconds())));
			Map<String, Object> numbers = new LinkedHashMap<>();
			numbers.put("slots", variant.slots());
			numbers.put("lookahead", variant.lookahead());
			numbers.put("runs_with_timestamps", variant.finishedRuns());
			numbers.put("gap_p50_ms", variant.percentile(50));
			numbers.put("gap_p95_ms", variant.percentile(95));
			numbers.put("gap_max_ms", variant.percentile(100));
			numbers.put("program_gap_p50_ms", percentile(variant.programGapsMs(), 50));
			numbers.put("program_gap_p95_ms", percentile(variant.programGapsMs(), 95));
			numbers.put("busy_fraction_own_slots", variant.busyOwnSlots());
			numbers.put("busy_fraction_of_" + SLOTS + "_slots", variant.busyMachine());
			numbers.put("wall_seconds", variant.wallSeconds());
			numbers.put("loop_stop_reason", variant.stopReason());
			numbers.put("gap_stages", variant.stagePercentiles());
			result.put(variant.name(), numbers);
		}
		List<List<String>> stageRows = new ArrayList<>();
		List<String> header = new ArrayList<>(List.of("where a gap goes (ms)"));
		variants.forEach(variant -> {
			header.add(variant.name() + " p50");
			header.add(variant.name() + " p95");
		});
		stageRows.add(header);
		for (String stage : STAGES) {
			List<String> row = new ArrayList<>(List.of(stage));
			variants.forEach(variant -> {
				row.add(ms(percentile(variant.stagesMs().get(stage), 50)));
				row.add(ms(percentile(variant.stagesMs().get(stage), 95)));
			});
			stageRows.add(row);
		}
		Bench.table("duty: " + runs + " runs of ~" + runSeconds + " s, strategy " + STRATEGY
				+ "; gap = previous program's end to the next process spawned on the same slot", rows);
		Bench.table("duty: the gap stage by stage, from the server's records (state changes, run times)", stageRows);
		variants.stream().filter(variant -> variant.name().equals(NO_PREFETCH)).findFirst().ifPresent(without -> {
			Variant with = variants.get(0);
			String claimed = STAGES.get(1);
			System.out.printf("workspace prefetch, lookahead loop: gap p50/p95 %s/%s ms with, %s/%s ms without;"
					+ " claimed to spawned p50/p95 %s/%s ms with, %s/%s ms without%n", ms(with.percentile(50)),
					ms(with.percentile(95)), ms(without.percentile(50)), ms(without.percentile(95)),
					ms(percentile(with.stagesMs().get(claimed), 50)), ms(percentile(with.stagesMs().get(claimed), 95)),
					ms(percentile(without.stagesMs().get(claimed), 50)),
					ms(percentile(without.stagesMs().get(claimed), 95)));
		});
		double p95 = variants.get(0).percentile(95);
		boolean met = p95 < TARGET_P95_MS;
		System.out.println("target (p95 gap < 250 ms with lookahead): " + (met ? "MET" : "NOT MET"));
		// What the gap means for a 5-minute run: the fraction of the slot's time spent training.
		double fiveMinutes = 300_000.0;
		result.put("busy_fraction_of_5_minute_runs_at_p95_gap", fiveMinutes / (fiveMinutes + p95));
		result.put("target", "p95 gap < 250 ms with lookahead");
		result.put("target_met", met);
		return result;
	}

	static double percentile(List<Double> values, double p) {
		if (values.isEmpty()) {
			return Double.NaN;
		}
		double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
		Arrays.sort(sorted);
		int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
	}

	/**
	 * The slots' busy fraction while every slot had started and none had yet run out of runs: from the last slot's
	 * first start to the first slot's last end. The ramp before (the first proposals on their way) and the tail
	 * after (a loop's last runs, nothing left to start) are left out; what remains is what the gaps cost. NaN when
	 * that window is empty (fewer runs than two per slot).
	 */
	private static double busySteady(List<Span> spans, Map<String, double[]> bounds) {
		double from = bounds.values().stream().mapToDouble(b -> b[0]).max().orElse(0);
		double to = bounds.values().stream().mapToDouble(b -> b[1]).min().orElse(0);
		if (to <= from) {
			return Double.NaN;
		}
		double busy = spans.stream()
			.mapToDouble(span -> Math.max(0, Math.min(span.end(), to) - Math.max(span.start(), from)))
			.sum();
		return busy / (bounds.size() * (to - from));
	}

	/**
	 * The ramp (side 0: seconds from the first slot's first start to the last slot's) or the tail (side 1: from the
	 * first slot's last end to the last slot's): the time outside the steady window.
	 */
	private static double spread(Map<String, double[]> bounds, int side) {
		return bounds.values().stream().mapToDouble(b -> b[side]).max().orElse(0)
				- bounds.values().stream().mapToDouble(b -> b[side]).min().orElse(0);
	}

	/** Each slot's first program start (index 0) and last program end (index 1). */
	private static Map<String, double[]> slotBounds(List<Span> spans) {
		Map<String, double[]> bounds = new LinkedHashMap<>();
		for (Span span : spans) {
			bounds.merge(span.slot(), new double[] { span.start(), span.end() },
					(a, b) -> new double[] { Math.min(a[0], b[0]), Math.max(a[1], b[1]) });
		}
		return bounds;
	}

	private static String ms(double value) {
		return Double.isNaN(value) ? "-" : String.format("%.0f", value);
	}

	private static String percent(double fraction) {
		return String.format("%.1f%%", fraction * 100);
	}
}
