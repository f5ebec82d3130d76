package dev.nightshift.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Real learning curves replayed: full runs of examples/micro-gpt recorded once by {@code bench/record_micro_gpt.py}
 * (its val_loss at every evaluation, with the run's CPU seconds at that point; see bench/fixtures/README.md).
 * Random search over the recorded runs: each seed visits them in an order of its own, without repeats, so a
 * study ends early when it has tried them all. A recorded run is its own truth: its final val_loss is both what
 * it reports and what its regret is measured on, from the best recorded final.
 */
final class RecordedCurves implements CurveProblem {

	private final String key;
	private final List<Trial> runs;
	private final long firstStep;
	private final long lastStep;

	private RecordedCurves(String key, List<Trial> runs) {
		this.key = key;
		this.runs = runs;
		this.firstStep = runs.stream().mapToLong(run -> run.steps()[0]).min().orElse(1);
		this.lastStep = runs.stream().mapToLong(run -> run.steps()[run.points() - 1]).max().orElse(1);
	}

	/** Reads gzip-compressed JSON lines as {@code record_micro_gpt.py} writes them. */
	static RecordedCurves read(String key, Path fixture) throws IOException {
		JsonMapper json = JsonMapper.builder().build();
		List<Trial> runs = new ArrayList<>();
		try (BufferedReader lines = new BufferedReader(new InputStreamReader(
				new GZIPInputStream(Files.newInputStream(fixture)), StandardCharsets.UTF_8))) {
			for (String line = lines.readLine(); line != null; line = lines.readLine()) {
				if (!line.isBlank()) {
					runs.add(trial(json.readTree(line)));
				}
			}
		}
		return new RecordedCurves(key, List.copyOf(runs));
	}

	private static Trial trial(JsonNode run) {
		JsonNode points = run.get("val_loss");
		int n = points.size();
		long[] steps = new long[n];
		double[] seconds = new double[n];
		double[] values = new double[n];
		for (int i = 0; i < n; i++) {
			// [step, cpu_seconds, wall_seconds, value]
			steps[i] = points.get(i).get(0).asLong();
			seconds[i] = points.get(i).get(1).asDouble();
			double value = points.get(i).get(3).asDouble();
			values[i] = Double.isFinite(value) ? value : Double.NaN;
		}
		Map<String, Object> params = new LinkedHashMap<>();
		run.get("params").properties().forEach(entry -> params.put(entry.getKey(),
				entry.getValue().isNumber() ? entry.getValue().numberValue() : entry.getValue().asString()));
		return new Trial(params, steps, seconds, values, values[n - 1]);
	}

	int size() {
		return runs.size();
	}

	@Override
	public String key() {
		return key;
	}

	@Override
	public List<Trial> trials(long seed, int count) {
		List<Trial> order = new ArrayList<>(runs);
		// Fisher-Yates with SplitMix64, so the order is the same on every machine.
		for (int i = order.size() - 1; i > 0; i--) {
			long bits = Problem.splitMix64(seed * 1_000_003L + i) >>> 1;
			java.util.Collections.swap(order, i, (int) (bits % (i + 1)));
		}
		return order.subList(0, Math.min(count, order.size()));
	}

	@Override
	public double optimum() {
		return runs.stream().mapToDouble(Trial::trueFinal).filter(Double::isFinite).min().orElse(Double.NaN);
	}

	@Override
	public double fullRunSeconds() {
		return runs.stream().mapToDouble(run -> run.seconds()[run.points() - 1]).average().orElse(1);
	}

	@Override
	public long firstStep() {
		return firstStep;
	}

	@Override
	public long warmupSteps() {
		return 2 * firstStep;
	}

}
