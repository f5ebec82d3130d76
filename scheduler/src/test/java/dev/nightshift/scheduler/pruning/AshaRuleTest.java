package dev.nightshift.scheduler.pruning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.nightshift.experiments.spec.Goal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AshaRuleTest {

	/** Rungs at 100 s and 300 s of a 1000 s budget, η = 3. */
	private final AshaRule rule = new AshaRule("val_loss", Goal.MINIMIZE, Warmup.NONE, 2, 3, List.of(0.1, 0.3), 1000);

	private final List<Curve> others = List.of(
			Curves.every100(Axis.ELAPSED, 2.0, 1.9, 1.8),
			Curves.finished(Axis.ELAPSED, 2.2, 2.1, 2.0),
			Curves.every100(Axis.ELAPSED, 2.4, 2.3, 2.2),
			Curves.finished(Axis.ELAPSED, 2.6, 2.5, 2.4),
			Curves.every100(Axis.ELAPSED, 2.8, 2.7, 2.6));

	@Test
	void keepsOnlyTheTopThirdOfTheRunsThatReachedARungFinishedOrNot() {
		Curve good = new Curve(Axis.ELAPSED);
		good.add(100, 2.1);
		Curve bad = new Curve(Axis.ELAPSED);
		bad.add(100, 2.5);

		assertThat(rule.decide(good, 100, others).prune()).isFalse();
		PruningDecision decision = rule.decide(bad, 100, others);
		assertThat(decision.prune()).isTrue();
		assertThat(decision.reason()).isEqualTo(
				"ASHA rung 1 at 1m40s of training: val_loss 2.5 is not in the top 1/3 of 6 runs there (cutoff 2.333)");
	}

	@Test
	void judgesARungOnlyAtTheUpdateThatPassedIt() {
		Curve bad = new Curve(Axis.ELAPSED);
		bad.add(100, 2.5);
		bad.add(150, 2.5);

		assertThat(rule.decide(bad, 150, others).prune()).isFalse();
		bad.add(300, 2.5);
		assertThat(rule.decide(bad, 300, others).reason()).startsWith("ASHA rung 2 at 5m of training");
	}

	@Test
	void onTheStepAxisRungsAreFractionsOfTheLastStepFinishedRunsReached() {
		List<Curve> stepped = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			double[] values = new double[10];
			for (int step = 0; step < 10; step++) {
				values[step] = 3 - step * 0.1 - i * 0.01;
			}
			stepped.add(Curves.finished(Axis.STEP, values));
		}
		Curve bad = new Curve(Axis.STEP);
		bad.add(100, 3.5);

		assertThat(rule.decide(bad, 1, stepped).reason()).startsWith("ASHA rung 1 at step 100: val_loss 3.5");
		assertThat(rule.decide(bad, 1, List.of(Curves.every100(Axis.STEP, 1, 1, 1, 1, 1))).prune())
			.as("no run finished: no rung yet")
			.isFalse();
	}

	@Test
	void maximizingKeepsTheLargestValues() {
		AshaRule accuracy = new AshaRule("acc", Goal.MAXIMIZE, Warmup.NONE, 2, 2, List.of(0.5), 400);
		List<Curve> runs = List.of(Curves.every100(Axis.ELAPSED, 0.5, 0.6), Curves.every100(Axis.ELAPSED, 0.7, 0.8),
				Curves.every100(Axis.ELAPSED, 0.1, 0.9));
		Curve high = new Curve(Axis.ELAPSED);
		high.add(200, 0.85);
		Curve low = new Curve(Axis.ELAPSED);
		low.add(200, 0.62);

		assertThat(accuracy.decide(high, 200, runs).prune()).isFalse();
		assertThat(accuracy.decide(low, 200, runs).prune()).isTrue();
	}

	@Test
	void fewerThanMinRunsAtARungPromoteEveryRun() {
		Curve bad = new Curve(Axis.ELAPSED);
		bad.add(100, 9);

		assertThat(rule.decide(bad, 100, others.subList(0, 1)).prune()).isFalse();
	}

	@Test
	void defaultRungsStartAtATenthOfTheRunAndGrowByTheReductionFactor() {
		assertThat(AshaRule.defaultRungs(2)).containsExactly(0.1, 0.2, 0.4, 0.8);
		assertThat(AshaRule.defaultRungs(3)).containsExactly(0.1, 0.3, 0.9);
	}

	@Test
	void rejectsRungsOutsideTheBudgetAndATooSmallReductionFactor() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new AshaRule("l", Goal.MINIMIZE, Warmup.NONE, 1, 3, List.of(1.0), 10));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new AshaRule("l", Goal.MINIMIZE, Warmup.NONE, 1, 1, List.of(0.5), 10));
	}
}
