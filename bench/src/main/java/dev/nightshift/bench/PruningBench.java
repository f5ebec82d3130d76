package dev.nightshift.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.nightshift.experiments.spec.Budget;
import dev.nightshift.experiments.spec.ExperimentSpec;
import dev.nightshift.experiments.spec.Goal;
import dev.nightshift.experiments.spec.Objective;
import dev.nightshift.experiments.spec.Pruning;
import dev.nightshift.scheduler.pruning.Axis;
import dev.nightshift.scheduler.pruning.Curve;
import dev.nightshift.scheduler.pruning.PruningRule;
import dev.nightshift.scheduler.pruning.PruningRules;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Research per GPU-hour: on learning-curve problems, at the same sampler (the same trials in the same order)
 * and the same GPU-seconds, no pruning, our median rule and our ASHA against Optuna's {@code MedianPruner} and
 * {@code SuccessiveHalvingPruner} ({@code bench/optuna_pruning.py}), in the same run. Time is simulated: a
 * curve is a function, a point costs the GPU-seconds it took to reach, nothing sleeps. Each study runs one trial
 * at a time, as an Optuna study with one worker does. Every method is scored by {@link PrunedStudy} from how far
 * it let each trial run.
 */
final class PruningBench {

	static final int SEEDS = 10;
	/** The synthetic study's budget, in full runs' worth of GPU time. */
	static final double SYNTHETIC_BUDGET_RUNS = 20;
	/** The recorded study's budget, as a fraction of what running every recorded run in full costs. */
	static final double RECORDED_BUDGET_FRACTION = 0.25;
	static final String NONE = "no-pruning";
	static final List<String> METHODS = List.of(NONE, "nightshift-median", "nightshift-asha", "optuna-median",
			"optuna-sha");

	private final Path optunaScript;
	private final Path fixture;
	private final int seeds;
	private final double syntheticBudgetRuns;

	PruningBench(Path optunaScript, Path fixture, int seeds, double syntheticBudgetRuns) {
		this.optunaScript = optunaScript;
		this.fixture = fixture;
		this.seeds = seeds;
		this.syntheticBudgetRuns = syntheticBudgetRuns;
	}

	PruningBench(Path benchDir) {
		this(benchDir.resolve("optuna_pruning.py"), benchDir.resolve("fixtures").resolve("micro-gpt-curves.jsonl.gz"),
				SEEDS, SYNTHETIC_BUDGET_RUNS);
	}

	/** One problem's studies: the trials of every seed and the budget they share. */
	private record Setup(CurveProblem problem, double budgetSeconds, List<List<CurveProblem.Trial>> trials) {
	}

	@SuppressWarnings("unchecked")
	Map<String, Object> run() throws IOException, InterruptedException {
		RecordedCurves recorded = RecordedCurves.read("micro_gpt", fixture);
		SyntheticCurves synthetic = new SyntheticCurves();
		List<Setup> setups = List.of(
				setup(synthetic, syntheticBudgetRuns * synthetic.fullRunSeconds()),
				setup(recorded, RECORDED_BUDGET_FRACTION * recorded.size() * recorded.fullRunSeconds()));
		JsonNode optuna = optuna(setups);
		Map<String, Object> problems = new LinkedHashMap<>();
		Map<String, Boolean> metByRule = new LinkedHashMap<>(Map.of("nightshift-median", true, "nightshift-asha", true));
		for (Setup setup : setups) {
			Map<String, List<PrunedStudy>> studies = new LinkedHashMap<>();
			Map<String, Double> decisionMicros = new LinkedHashMap<>();
			for (String method : METHODS) {
				List<PrunedStudy> list = new ArrayList<>();
				long nanos = 0;
				long decisions = 0;
				for (int seed = 0; seed < seeds; seed++) {
					List<CurveProblem.Trial> trials = setup.trials().get(seed);
					int[] consumed;
					if (method.startsWith("optuna-")) {
						consumed = ints(optuna.get("problems").get(setup.problem().key()).get(method).get(seed));
					}
					else {
						Simulation simulation = new Simulation(rule(method, setup.problem()));
						consumed = simulation.run(trials, setup.budgetSeconds());
						nanos += simulation.nanos;
						decisions += simulation.decisions;
					}
					list.add(new PrunedStudy(trials, consumed, setup.budgetSeconds(), setup.problem().optimum()));
				}
				studies.put(method, list);
				decisionMicros.put(method, decisions == 0 ? Double.NaN : nanos / 1e3 / decisions);
			}
			Map<String, Object> scored = score(setup, studies, decisionMicros);
			Map<String, Map<String, Object>> scoredMethods = (Map<String, Map<String, Object>>) scored.get("methods");
			metByRule.replaceAll((rule, met) -> met && (boolean) scoredMethods.get(rule).get("target_met"));
			problems.put(setup.problem().key(), scored);
		}
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("seeds", seeds);
		result.put("optuna_version", optuna.get("optuna_version").asString());
		boolean met = metByRule.containsValue(true);
		result.put("target", "a Nightshift rule with >= 2x the trials per GPU-hour of no pruning at equal or better"
				+ " median regret, and median regret no worse than the matching Optuna pruner's, on every problem");
		result.put("target_met", met);
		result.put("target_met_by_rule", metByRule);
		result.put("problems", problems);
		System.out.println("target (>= 2x trials per GPU-hour at no worse regret, as good as Optuna, on both problems): "
				+ (met ? "MET" : "NOT MET") + " " + metByRule);
		return result;
	}

	private Setup setup(CurveProblem problem, double budgetSeconds) {
		// A study can start at most one trial per first point's worth of GPU time; give it that many.
		double cheapest = Double.MAX_VALUE;
		List<List<CurveProblem.Trial>> trials = new ArrayList<>();
		for (CurveProblem.Trial trial : problem.trials(0, 1000)) {
			cheapest = Math.min(cheapest, trial.seconds()[0]);
		}
		int count = (int) Math.ceil(budgetSeconds / cheapest) + 1;
		for (int seed = 0; seed < seeds; seed++) {
			trials.add(problem.trials(seed, count));
		}
		return new Setup(problem, budgetSeconds, trials);
	}

	/**
	 * The rule a method stands for, built as the server builds it from a spec that says only {@code pruning: {rule:
	 * median}} or {@code pruning: {rule: asha}}: every setting at the default a user gets, nothing set per problem.
	 */
	private static PruningRule rule(String method, CurveProblem problem) {
		Pruning pruning = switch (method) {
			case NONE -> null;
			case "nightshift-median" -> Pruning.defaults(Pruning.Rule.MEDIAN, "loss", Goal.MINIMIZE);
			case "nightshift-asha" -> Pruning.defaults(Pruning.Rule.ASHA, "loss", Goal.MINIMIZE);
			default -> throw new IllegalArgumentException(method);
		};
		if (pruning == null) {
			return null;
		}
		ExperimentSpec spec = new ExperimentSpec(problem.key(), null, "python3 train.py", List.of(),
				new Objective("loss", Goal.MINIMIZE), new Budget(Duration.ofMillis(Math.round(problem.fullRunSeconds() * 1000))),
				Map.of(), null, null, "Lower the loss.", pruning);
		return PruningRules.of(spec).orElseThrow();
	}

	/** One study under one of our rules: each trial reports its points in turn until the rule stops it. */
	private static final class Simulation {

		private final PruningRule rule;
		private long nanos;
		private long decisions;

		Simulation(PruningRule rule) {
			this.rule = rule;
		}

		/**
		 * Runs the trials one after another until the budget is spent; returns how many points each started
		 * trial reported. The other runs' curves are kept as the server keeps them: a run that ended with a
		 * result is finished, a pruned one stays unfinished (it counts at ASHA's rungs it reached, not for the
		 * median), a diverged one is dropped.
		 */
		int[] run(List<CurveProblem.Trial> trials, double budgetSeconds) {
			List<Curve> curves = new ArrayList<>();
			int[] consumed = new int[trials.size()];
			double used = 0;
			int started = 0;
			for (CurveProblem.Trial trial : trials) {
				if (used >= budgetSeconds) {
					break;
				}
				Curve curve = new Curve(Axis.STEP);
				curves.add(curve);
				int points = trial.points();
				int ran = points;
				for (int i = 0; i < points; i++) {
					curve.add(trial.steps()[i], trial.values()[i]);
					// The last point is the run's result: a run that has ended is not stopped.
					if (rule != null && i < points - 1) {
						long start = System.nanoTime();
						boolean prune = rule.decide(curve, trial.seconds()[i], curves).prune();
						nanos += System.nanoTime() - start;
						decisions++;
						if (prune) {
							ran = i + 1;
							break;
						}
					}
				}
				if (ran == points && Double.isFinite(trial.observedFinal())) {
					curve.finish();
				}
				else if (ran == points) {
					curves.remove(curves.size() - 1);
				}
				consumed[started++] = ran;
				used += trial.seconds()[ran - 1];
			}
			return Arrays.copyOf(consumed, started);
		}
	}

	private Map<String, Object> score(Setup setup, Map<String, List<PrunedStudy>> studies,
			Map<String, Double> decisionMicros) {
		// The target regret: what no pruning reaches, in the median, with the whole budget.
		double target = median(studies.get(NONE).stream().map(s -> s.score(0).regret()).toList());
		Map<String, Map<String, Object>> methods = new LinkedHashMap<>();
		List<List<String>> rows = new ArrayList<>();
		rows.add(List.of("method", "median regret", "GPU-h to target", "trials/GPU-h", "x no pruning", "completed",
				"pruned", "GPU-h used", "best pruned", "µs/decision"));
		double noneRate = Double.NaN;
		for (Map.Entry<String, List<PrunedStudy>> entry : studies.entrySet()) {
			List<PrunedStudy.Score> scores = entry.getValue().stream().map(s -> s.score(target)).toList();
			double regret = median(scores.stream().map(PrunedStudy.Score::regret).toList());
			double toTarget = median(scores.stream().map(s -> s.secondsToTarget() / 3600).toList());
			long reached = scores.stream().filter(s -> Double.isFinite(s.secondsToTarget())).count();
			double rate = median(scores.stream().map(PrunedStudy.Score::trialsPerGpuHour).toList());
			if (entry.getKey().equals(NONE)) {
				noneRate = rate;
			}
			long bestPruned = scores.stream().filter(PrunedStudy.Score::bestPruned).count();
			Map<String, Object> method = new LinkedHashMap<>();
			method.put("median_regret", regret);
			method.put("regrets", scores.stream().map(PrunedStudy.Score::regret).sorted().toList());
			method.put("median_gpu_hours_to_target", toTarget);
			method.put("seeds_reaching_target", reached);
			method.put("median_trials_per_gpu_hour", rate);
			method.put("trials_per_gpu_hour_vs_no_pruning", rate / noneRate);
			method.put("median_trials_started", median(scores.stream().map(s -> (double) s.started()).toList()));
			method.put("median_trials_completed", median(scores.stream().map(s -> (double) s.completed()).toList()));
			method.put("median_trials_pruned", median(scores.stream().map(s -> (double) s.pruned()).toList()));
			method.put("median_gpu_hours_used", median(scores.stream().map(s -> s.usedSeconds() / 3600).toList()));
			method.put("best_run_pruned_fraction", (double) bestPruned / scores.size());
			method.put("microseconds_per_decision", decisionMicros.get(entry.getKey()));
			methods.put(entry.getKey(), method);
			rows.add(List.of(entry.getKey(), SearchBench.format(regret),
					Double.isFinite(toTarget) ? SearchBench.format(toTarget) + " (" + reached + "/" + scores.size() + ")"
							: "- (" + reached + "/" + scores.size() + ")",
					String.format("%.1f", rate), String.format("%.2f", rate / noneRate),
					String.format("%.1f", (double) method.get("median_trials_completed")),
					String.format("%.1f", (double) method.get("median_trials_pruned")),
					String.format("%.2f", (double) method.get("median_gpu_hours_used")), bestPruned + "/" + scores.size(), SearchBench.format(decisionMicros.get(entry.getKey()))));
		}
		Bench.table(setup.problem().key() + ": " + seeds + " seeds, " + SearchBench.format(setup.budgetSeconds() / 3600)
				+ " GPU-hours each (" + SearchBench.format(setup.budgetSeconds() / setup.problem().fullRunSeconds())
				+ " full runs); target regret " + SearchBench.format(target) + " (no pruning's median)", rows);
		boolean met = false;
		for (String ours : List.of("nightshift-median", "nightshift-asha")) {
			Map<String, Object> method = methods.get(ours);
			Map<String, Object> theirs = methods.get(ours.equals("nightshift-median") ? "optuna-median" : "optuna-sha");
			double regret = (double) method.get("median_regret");
			boolean ok = (double) method.get("trials_per_gpu_hour_vs_no_pruning") >= 2
					&& regret <= (double) methods.get(NONE).get("median_regret")
					&& regret <= (double) theirs.get("median_regret");
			method.put("target_met", ok);
			met |= ok;
		}
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("optimum", setup.problem().optimum());
		result.put("budget_gpu_hours", setup.budgetSeconds() / 3600);
		result.put("full_run_gpu_seconds", setup.problem().fullRunSeconds());
		result.put("target_regret", target);
		result.put("target_met", met);
		result.put("methods", methods);
		return result;
	}

	private static double median(List<Double> values) {
		double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
		int n = sorted.length;
		return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
	}

	private static int[] ints(JsonNode array) {
		int[] values = new int[array.size()];
		for (int i = 0; i < values.length; i++) {
			values[i] = array.get(i).asInt();
		}
		return values;
	}

	/** Optuna's pruners on the same trials, read back as how far they let each trial run. */
	private JsonNode optuna(List<Setup> setups) throws IOException, InterruptedException {
		Map<String, Object> input = new LinkedHashMap<>();
		for (Setup setup : setups) {
			Map<String, Object> problem = new LinkedHashMap<>();
			problem.put("budget_seconds", setup.budgetSeconds());
			problem.put("warmup_steps", setup.problem().warmupSteps());
			problem.put("min_trials", Pruning.DEFAULT_MIN_RUNS);
			problem.put("min_resource", setup.problem().firstStep());
			problem.put("reduction_factor", Pruning.DEFAULT_REDUCTION_FACTOR);
			List<List<Map<String, Object>>> seedsOut = new ArrayList<>();
			for (List<CurveProblem.Trial> trials : setup.trials()) {
				List<Map<String, Object>> list = new ArrayList<>();
				for (CurveProblem.Trial trial : trials) {
					Map<String, Object> curve = new LinkedHashMap<>();
					curve.put("steps", trial.steps());
					curve.put("seconds", trial.seconds());
					// JSON has no NaN: a non-finite value travels as null.
					curve.put("values", Arrays.stream(trial.values()).mapToObj(v -> Double.isFinite(v) ? v : null).toList());
					list.add(curve);
				}
				seedsOut.add(list);
			}
			problem.put("seeds", seedsOut);
			input.put(setup.problem().key(), problem);
		}
		JsonMapper json = JsonMapper.builder().build();
		Path file = Files.createTempFile("nightshift-pruning-", ".json");
		try {
			Files.writeString(file, json.writeValueAsString(Map.of("problems", input)));
			Process process = new ProcessBuilder("/usr/bin/python3", optunaScript.toString(), file.toString())
				.redirectError(ProcessBuilder.Redirect.INHERIT)
				.start();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (process.waitFor() != 0) {
				throw new IllegalStateException("optuna_pruning.py failed with exit code " + process.exitValue());
			}
			return json.readTree(out);
		}
		finally {
			Files.deleteIfExists(file);
		}
	}
}
