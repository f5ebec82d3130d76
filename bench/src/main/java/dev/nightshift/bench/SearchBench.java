package dev.nightshift.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.nightshift.agent.ProposalDraft;
import dev.nightshift.agent.Proposer;
import dev.nightshift.agent.ResearchContext;
import dev.nightshift.agent.RunSummary;
import dev.nightshift.agent.strategy.StrategyCatalog;
import dev.nightshift.experiments.spec.ExperimentSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Search efficiency: the built-in strategies against Optuna's TPE and random samplers on the same problems,
 * trials and seeds. The score is the median simple regret (the true value of the point with the best observed
 * value, minus the known optimum) and its ratio to Optuna TPE's.
 */
final class SearchBench {

	static final int TRIALS = 50;
	static final int SEEDS = 10;
	static final String REFERENCE = "optuna-tpe";

	private final Path optunaScript;
	private final int trials;
	private final int seeds;

	SearchBench(Path optunaScript, int trials, int seeds) {
		this.optunaScript = optunaScript;
		this.trials = trials;
		this.seeds = seeds;
	}

	SearchBench(Path optunaScript) {
		this(optunaScript, TRIALS, SEEDS);
	}

	Map<String, Object> run() throws IOException, InterruptedException {
		StrategyCatalog catalog = new StrategyCatalog();
		JsonNode optuna = optuna();
		Map<String, Object> problems = new LinkedHashMap<>();
		List<Double> bestRatios = new ArrayList<>();
		for (Problem problem : Problem.values()) {
			Map<String, Object> methods = new LinkedHashMap<>();
			for (String name : catalog.names()) {
				methods.put("nightshift-" + name, ours(catalog.forName(name), problem));
			}
			for (String sampler : List.of("optuna-tpe", "optuna-random")) {
				List<Double> regrets = new ArrayList<>();
				optuna.get("problems").get(problem.key()).get(sampler).forEach(node -> regrets.add(node.asDouble()));
				methods.put(sampler, summary(regrets, Double.NaN));
			}
			double reference = (double) ((Map<?, ?>) methods.get(REFERENCE)).get("median_regret");
			double best = Double.MAX_VALUE;
			List<List<String>> rows = new ArrayList<>();
			rows.add(List.of("method", "median regret", "ratio to optuna-tpe", "ms per proposal"));
			for (Map.Entry<String, Object> entry : methods.entrySet()) {
				@SuppressWarnings("unchecked")
				Map<String, Object> method = (Map<String, Object>) entry.getValue();
				double median = (double) method.get("median_regret");
				double ratio = median / reference;
				method.put("ratio_to_optuna_tpe", ratio);
				if (entry.getKey().startsWith("nightshift-")) {
					best = Math.min(best, ratio);
				}
				double ms = (double) method.get("ms_per_proposal");
				rows.add(List.of(entry.getKey(), format(median), format(ratio), Double.isNaN(ms) ? "-" : format(ms)));
			}
			bestRatios.add(best);
			Bench.table(problem.key() + ": " + trials + " trials, " + seeds + " seeds, median simple regret", rows);
			problems.put(problem.key(), methods);
		}
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("trials", trials);
		result.put("seeds", seeds);
		result.put("optuna_version", optuna.get("optuna_version").asString());
		result.put("target", "best Nightshift strategy's median regret / Optuna TPE's <= 1.0 on each problem");
		boolean met = bestRatios.stream().allMatch(ratio -> ratio <= 1.0);
		result.put("target_met", met);
		result.put("problems", problems);
		System.out.println("target (best strategy <= optuna-tpe on every problem): " + (met ? "MET" : "NOT MET")
				+ "; best ratios " + bestRatios.stream().map(SearchBench::format).toList());
		return result;
	}

	/** Lets one strategy choose every trial, one at a time, for each seed. */
	private Map<String, Object> ours(Proposer proposer, Problem problem) {
		ExperimentSpec spec = problem.spec();
		List<Double> regrets = new ArrayList<>();
		long nanos = 0;
		int proposals = 0;
		for (long seed = 0; seed < seeds; seed++) {
			List<RunSummary> history = new ArrayList<>();
			double bestObserved = Double.MAX_VALUE;
			double bestTrue = Double.NaN;
			for (int trial = 0; trial < trials; trial++) {
				ResearchContext context = context(spec, history, seed);
				long start = System.nanoTime();
				List<ProposalDraft> drafts = proposer.propose(context, 1);
				nanos += System.nanoTime() - start;
				proposals++;
				if (drafts.isEmpty()) {
					break;
				}
				Map<String, Object> params = drafts.get(0).params();
				double observed = problem.observed(params, seed, trial);
				if (observed < bestObserved) {
					bestObserved = observed;
					bestTrue = problem.value(params);
				}
				history.add(0, new RunSummary(trial + 1, (long) trial + 1, null, "PROPOSAL", "SUCCEEDED", params,
						observed, null, null, null, null, Instant.EPOCH.plusSeconds(trial)));
			}
			regrets.add(bestTrue - problem.optimum());
		}
		return summary(regrets, nanos / 1e6 / proposals);
	}

	/** A context as the loop builds it, minus everything a strategy does not read. */
	private static ResearchContext context(ExperimentSpec spec, List<RunSummary> history, long seed) {
		RunSummary best = null;
		for (RunSummary run : history) {
			if (best == null || run.objective() < best.objective()) {
				best = run;
			}
		}
		List<RunSummary> top = best == null ? List.of() : List.of(best);
		return new ResearchContext(1, spec, best, null, history, top, List.of(), List.of(), List.of(), List.of(),
				List.of(), null, seed);
	}

	private static Map<String, Object> summary(List<Double> regrets, double msPerProposal) {
		double[] sorted = regrets.stream().mapToDouble(Double::doubleValue).sorted().toArray();
		int n = sorted.length;
		double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
		Map<String, Object> summary = new LinkedHashMap<>();
		summary.put("median_regret", median);
		summary.put("regrets", Arrays.stream(sorted).boxed().toList());
		summary.put("ms_per_proposal", msPerProposal);
		return summary;
	}

	private JsonNode optuna() throws IOException, InterruptedException {
		Process process = new ProcessBuilder("/usr/bin/python3", optunaScript.toString(), "--trials",
				String.valueOf(trials), "--seeds", String.valueOf(seeds))
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (process.waitFor() != 0) {
			throw new IllegalStateException("optuna_baseline.py failed with exit code " + process.exitValue());
		}
		return JsonMapper.builder().build().readTree(out);
	}

	static String format(double value) {
		if (Double.isNaN(value)) {
			return "-";
		}
		return Math.abs(value) >= 0.01 || value == 0 ? String.format("%.3f", value) : String.format("%.2e", value);
	}
}
