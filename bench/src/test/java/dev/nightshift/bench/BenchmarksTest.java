package dev.nightshift.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Every benchmark runs, at a small size, and its numbers are sane: counts add up, fractions are fractions,
 * regrets are not negative, every request answered. Nothing here asserts a timing.
 */
class BenchmarksTest {

	private static final Path DIR = Path.of(System.getProperty("bench.dir", "."));
	private static final Path JAR = Path.of(System.getProperty("nightshift.jar", "../web/target/nightshift.jar"));

	@Test
	@SuppressWarnings("unchecked")
	void searchScoresEveryMethodOnEveryProblemAgainstOptuna() throws Exception {
		Map<String, Object> result = new SearchBench(DIR.resolve("optuna_baseline.py"), 6, 2).run();

		Map<String, Object> problems = (Map<String, Object>) result.get("problems");
		assertThat(problems).containsOnlyKeys("branin", "hartmann6", "training_loss");
		for (Object problem : problems.values()) {
			Map<String, Object> methods = (Map<String, Object>) problem;
			assertThat(methods).containsKeys("nightshift-random", "nightshift-tpe", "nightshift-evolution", "optuna-tpe",
					"optuna-random");
			for (Object method : methods.values()) {
				Map<String, Object> numbers = (Map<String, Object>) method;
				// Regret is the true value of the chosen point minus the known optimum: never below zero.
				assertThat((List<Double>) numbers.get("regrets")).hasSize(2).allSatisfy(r -> assertThat(r).isGreaterThanOrEqualTo(-1e-9));
			}
			Map<String, Object> optunaTpe = (Map<String, Object>) methods.get("optuna-tpe");
			assertThat((double) optunaTpe.get("ratio_to_optuna_tpe")).isCloseTo(1.0, within(1e-12));
		}
		assertThat((String) result.get("optuna_version")).isNotBlank();
	}

	@Test
	@SuppressWarnings("unchecked")
	void pruningScoresEveryMethodOnBothProblemsAtTheSameBudget() throws Exception {
		Map<String, Object> result = new PruningBench(DIR.resolve("optuna_pruning.py"),
				DIR.resolve("fixtures").resolve("micro-gpt-curves.jsonl.gz"), 2, 4).run();

		Map<String, Object> problems = (Map<String, Object>) result.get("problems");
		assertThat(problems).containsOnlyKeys("synthetic", "micro_gpt");
		for (Object problem : problems.values()) {
			Map<String, Object> methods = (Map<String, Object>) ((Map<String, Object>) problem).get("methods");
			assertThat(methods).containsOnlyKeys(PruningBench.METHODS);
			double budget = (double) ((Map<String, Object>) problem).get("budget_gpu_hours");
			for (Object method : methods.values()) {
				Map<String, Object> numbers = (Map<String, Object>) method;
				// Regret is a true final value minus the best there is: never below zero.
				assertThat((List<Double>) numbers.get("regrets")).hasSize(2)
					.allSatisfy(r -> assertThat(r).isGreaterThanOrEqualTo(-1e-9));
				assertThat((double) numbers.get("median_gpu_hours_used")).isBetween(0.0, budget + 1e-9);
				assertThat((double) numbers.get("median_trials_completed") + (double) numbers.get("median_trials_pruned"))
					.isLessThanOrEqualTo((double) numbers.get("median_trials_started"));
				assertThat((double) numbers.get("best_run_pruned_fraction")).isBetween(0.0, 1.0);
			}
			Map<String, Object> none = (Map<String, Object>) methods.get(PruningBench.NONE);
			assertThat((double) none.get("median_trials_pruned")).isZero();
			assertThat((double) none.get("trials_per_gpu_hour_vs_no_pruning")).isCloseTo(1.0, within(1e-12));
		}
		assertThat((String) result.get("optuna_version")).isNotBlank();
	}

	@Test
	void ingestionStoresEveryPointThroughTheServersPathAndThroughCopy() throws Exception {
		Map<String, Object> result = new IngestBench(2_000, 1).run();

		assertThat(result.get("points_per_round")).isEqualTo(8_000);
		assertThat((double) result.get("server_path_points_per_s")).isPositive();
		assertThat((double) result.get("copy_points_per_s")).isPositive();
		assertThat((double) result.get("ratio_to_copy")).isPositive();
	}

	@Test
	@SuppressWarnings("unchecked")
	void dutyCycleFeedsTheSlotsFromTheLoopAndFromASequentialLoop() throws Exception {
		int runs = 6;
		Map<String, Object> result = new DutyCycleBench(JAR, runs, 0.2).run();

		Map<String, Object> lookahead = (Map<String, Object>) result.get("lookahead");
		Map<String, Object> sequential = (Map<String, Object>) result.get("sequential");
		Map<String, Object> withoutPrefetch = (Map<String, Object>) result.get(DutyCycleBench.NO_PREFETCH);
		for (Map<String, Object> variant : List.of(lookahead, sequential, withoutPrefetch)) {
			// Confirmation replicates of improvements come on top of the proposals.
			assertThat((int) variant.get("runs_with_timestamps")).isGreaterThanOrEqualTo(runs);
			// Runs on one slot never overlap: every gap is a wait, not an overlap.
			assertThat((double) variant.get("gap_p50_ms")).isPositive();
			assertThat((double) variant.get("busy_fraction_own_slots")).isBetween(0.0, 1.0);
		}
		assertThat(lookahead.get("slots")).isEqualTo(2);
		assertThat(sequential.get("slots")).isEqualTo(1);
		assertThat(withoutPrefetch.get("slots")).isEqualTo(2);
		// One slot of two can be busy at most half the time.
		assertThat((double) sequential.get("busy_fraction_of_2_slots")).isBetween(0.0, 0.5);
	}

	@Test
	@SuppressWarnings("unchecked")
	void dutyWithASlowModelFeedsTheSlotsFromParallelAndFromSerialCalls() throws Exception {
		int runs = 4;
		Map<String, Object> result = new ModelDutyBench(JAR, List.of(new ModelDutyBench.Setup("small", 2, runs, 0.4, 0.3)),
				List.of("model-parallel", "model-serial")).run();

		Map<String, Object> setup = (Map<String, Object>) result.get("setup_small");
		for (String name : List.of("model-parallel", "model-serial")) {
			Map<String, Object> variant = (Map<String, Object>) setup.get(name);
			assertThat((int) variant.get("runs_with_timestamps")).isGreaterThanOrEqualTo(runs);
			assertThat((double) variant.get("busy_fraction")).isBetween(0.0, 1.0);
			// The steady window may be empty with so few runs (NaN), never a fraction outside [0, 1].
			double steady = (double) variant.get("busy_fraction_steady");
			assertThat(Double.isNaN(steady) || steady >= 0 && steady <= 1).as("steady busy %s", steady).isTrue();
			assertThat((double) variant.get("ramp_seconds")).isNotNegative();
			assertThat((double) variant.get("tail_seconds")).isNotNegative();
			assertThat((Map<String, Object>) variant.get("gap_stages")).containsOnlyKeys(DutyCycleBench.STAGES);
			// Every proposal came from the model: at least one call for proposals, and calls were in flight.
			assertThat((long) variant.get("proposal_calls")).isPositive();
			assertThat((double) variant.get("model_calls_per_run")).isPositive();
			assertThat((int) variant.get("calls_in_flight_max")).isPositive();
			assertThat((List<Integer>) variant.get("calls_in_flight_per_second")).isNotEmpty()
				.allSatisfy(n -> assertThat(n).isNotNegative());
		}
	}

	@Test
	@SuppressWarnings("unchecked")
	void historyAnswersEveryKindOfRequestOverSeededRuns() throws Exception {
		Map<String, Object> result = new HistoryBench(JAR, 400, 40_000, 3).run();

		assertThat(result.get("runs")).isEqualTo(400L);
		assertThat((long) result.get("metric_points")).isBetween(36_000L, 40_000L);
		Map<String, Object> requests = (Map<String, Object>) result.get("requests");
		assertThat(requests).hasSize(12);
		for (Object request : requests.values()) {
			Map<String, Object> numbers = (Map<String, Object>) request;
			assertThat((double) numbers.get("p95_ms")).isPositive();
			assertThat((long) numbers.get("bytes")).isPositive();
		}
	}

	@Test
	@SuppressWarnings("unchecked")
	void researchScoresTheConclusionsOfTheStrategyAndOfTheStandInModelAgainstTheTruth() throws Exception {
		int runs = 14;
		Map<String, Object> result = new ResearchBench(JAR, runs).run();

		for (String variant : List.of("tpe", "llm")) {
			Map<String, Object> numbers = (Map<String, Object>) result.get(variant);
			// Confirmation replicates come on top of the loop's runs.
			assertThat((int) numbers.get("runs_finished")).isGreaterThanOrEqualTo(runs);
			int questions = (int) numbers.get("questions_with_runs");
			assertThat(questions).isPositive();
			assertThat((int) numbers.get("dead_ends") + (int) numbers.get("refuted") + (int) numbers.get("supported")
					+ (int) numbers.get("open")).isLessThanOrEqualTo(questions);
			assertThat((int) numbers.get("dead_ends_true")).isBetween(0, (int) numbers.get("dead_ends"));
			assertThat((int) numbers.get("false_keeps")).isBetween(0, (int) numbers.get("keeps"));
			assertThat((int) numbers.get("kept_changes_supported")).isBetween(0, (int) numbers.get("kept_changes"));
			// The first successful baseline is always kept, and nothing is better than the optimum.
			Map<String, Object> best = (Map<String, Object>) numbers.get("best_true_loss_after_runs");
			assertThat((Double) best.get(Integer.toString(runs))).isGreaterThanOrEqualTo(ResearchProgram.OPTIMUM - 1e-9);
		}
		Map<String, Object> llm = (Map<String, Object>) result.get("llm");
		Map<String, Object> model = (Map<String, Object>) llm.get("stand_in_model");
		// The stand-in was asked, and the misspelt change was among the first it offered: it ran and crashed.
		assertThat((int) model.get("requests")).isPositive();
		assertThat(llm.get("crashed")).isEqualTo(true);
	}
}
