package dev.nightshift.agent.strategy;

import static dev.nightshift.agent.strategy.Strategies.context;
import static dev.nightshift.agent.strategy.Strategies.number;
import static dev.nightshift.agent.strategy.Strategies.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import dev.nightshift.agent.ProposalDraft;
import dev.nightshift.agent.Proposer;
import dev.nightshift.agent.RunSummary;
import dev.nightshift.experiments.spec.ExperimentSpec;
import dev.nightshift.experiments.spec.Goal;
import org.junit.jupiter.api.Test;

/**
 * Whether the strategies search well. Every run uses fixed seeds, so these comparisons are deterministic:
 * they cannot flake, and a change that makes a strategy worse shows here.
 */
class StrategyQualityTest {

	private static final long[] SEEDS = {11, 22, 33, 44, 55, 66, 77};

	/** A bowl with its minimum 0 at (1, -2). */
	private static final ToDoubleFunction<Map<String, Object>> BOWL = params -> Math.pow(number(params, "x") - 1, 2)
			+ Math.pow(number(params, "y") + 2, 2);

	@Test
	void theModelBasedStrategyBeatsRandomSearchOnAQuadratic() {
		ExperimentSpec spec = Strategies.square(Goal.MINIMIZE);

		double tpe = medianBest(new TreeParzenEstimator(), spec, BOWL, false);
		double random = medianBest(new RandomSearch(), spec, BOWL, false);

		assertThat(tpe).isLessThan(random / 2);
	}

	@Test
	void maximizingIsHandledByEveryStrategy() {
		ExperimentSpec spec = Strategies.square(Goal.MAXIMIZE);
		ToDoubleFunction<Map<String, Object>> hill = params -> 10 - BOWL.applyAsDouble(params);

		double tpe = medianBest(new TreeParzenEstimator(), spec, hill, true);
		double evolution = medianBest(new LocalSearch(), spec, hill, true);
		double random = medianBest(new RandomSearch(), spec, hill, true);

		assertThat(tpe).isGreaterThan(random).isGreaterThan(9.5);
		assertThat(evolution).isGreaterThan(random).isGreaterThan(9.5);
	}

	@Test
	void evolutionStaysNearTheBestRun() {
		ExperimentSpec spec = Strategies.square(Goal.MAXIMIZE);
		List<RunSummary> history = new ArrayList<>();
		history.add(run(1, Map.of("x", 3.0, "y", 3.0), 5.0));
		for (int i = 2; i <= 30; i++) {
			// Worse runs all over the space: the step has shrunk to its floor.
			history.add(0, run(i, Map.of("x", -4.0 + i * 0.25, "y", -4.5), 1.0));
		}

		List<ProposalDraft> drafts = new LocalSearch().propose(context(spec, history, 8), 20);

		assertThat(drafts).hasSize(20).allSatisfy(draft -> {
			assertThat(number(draft.params(), "x")).isCloseTo(3.0, org.assertj.core.data.Offset.offset(0.6));
			assertThat(number(draft.params(), "y")).isCloseTo(3.0, org.assertj.core.data.Offset.offset(0.6));
		});
		assertThat(drafts.get(0).rationale()).contains("from best run 1 (5)");
		assertThat(drafts.get(0).question()).matches("Does a (higher|lower) [xy] than 3 improve loss\\?");
		assertThat(LocalSearch.step(Trial.history(context(spec, history, 8), new SearchSpace(spec))).size())
			.isEqualTo(LocalSearch.MIN_STEP);
	}

	@Test
	void evolutionWidensItsStepAfterANewBest() {
		ExperimentSpec spec = Strategies.square(Goal.MINIMIZE);
		SearchSpace space = new SearchSpace(spec);
		List<RunSummary> improving = List.of(run(3, Map.of("x", 0.0, "y", 0.0), 1.0),
				run(2, Map.of("x", 1.0, "y", 0.0), 2.0), run(1, Map.of("x", 2.0, "y", 0.0), 3.0));
		List<RunSummary> stalling = List.of(run(3, Map.of("x", 0.0, "y", 0.0), 4.0),
				run(2, Map.of("x", 1.0, "y", 0.0), 4.0), run(1, Map.of("x", 2.0, "y", 0.0), 3.0));

		double growing = LocalSearch.step(Trial.history(context(spec, improving, 1), space)).size();
		double shrinking = LocalSearch.step(Trial.history(context(spec, stalling, 1), space)).size();

		assertThat(growing).isGreaterThan(LocalSearch.INITIAL_STEP);
		assertThat(shrinking).isLessThan(LocalSearch.INITIAL_STEP);
	}

	private static double medianBest(Proposer proposer, ExperimentSpec spec, ToDoubleFunction<Map<String, Object>> f,
			boolean maximize) {
		double[] bests = new double[SEEDS.length];
		for (int i = 0; i < SEEDS.length; i++) {
			List<Double> objectives = Strategies.optimise(proposer, spec, f, 40, SEEDS[i]);
			assertThat(objectives).hasSize(40);
			bests[i] = maximize ? objectives.stream().mapToDouble(Double::doubleValue).max().orElseThrow()
					: objectives.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
		}
		Arrays.sort(bests);
		return bests[bests.length / 2];
	}
}
