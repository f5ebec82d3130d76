package dev.nightshift.scheduler.pruning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.nightshift.experiments.spec.Goal;
import java.util.List;
import org.junit.jupiter.api.Test;

class MedianStoppingRuleTest {

	private final MedianStoppingRule rule = new MedianStoppingRule("val_loss", Goal.MINIMIZE, Warmup.NONE, 3);

	private final List<Curve> finished = List.of(
			Curves.finished(Axis.STEP, 3.0, 2.5, 2.0, 1.8),
			Curves.finished(Axis.STEP, 3.1, 2.6, 2.12, 1.9),
			Curves.finished(Axis.STEP, 3.2, 2.7, 2.3, 2.0));

	@Test
	void prunesARunWhoseBestSoFarIsWorseThanTheMedianOfFinishedRunsAtThatStep() {
		Curve candidate = Curves.every100(Axis.STEP, 3.5, 2.9, 2.41);

		PruningDecision decision = rule.decide(candidate, 60, finished);

		assertThat(decision.prune()).isTrue();
		assertThat(decision.reason())
			.isEqualTo("median rule: val_loss 2.41 at step 300 is worse than the median 2.12 of 3 runs");
	}

	@Test
	void keepsARunAtOrBetterThanTheMedian() {
		assertThat(rule.decide(Curves.every100(Axis.STEP, 3.0, 2.6, 2.12), 60, finished).prune()).isFalse();
		assertThat(rule.decide(Curves.every100(Axis.STEP, 3.0, 2.0, 2.9), 60, finished).prune())
			.as("its best so far, 2.0 at step 200, is what counts")
			.isFalse();
	}

	@Test
	void nothingIsPrunedWhereFewerThanMinRunsFinishedRunsReachedThePoint() {
		List<Curve> others = List.of(finished.get(0), finished.get(1), Curves.every100(Axis.STEP, 1, 1, 1, 1),
				Curves.finished(Axis.STEP, 1.0, 1.0));

		assertThat(rule.decide(Curves.every100(Axis.STEP, 9, 9, 9), 60, others).prune())
			.as("a running run and a run that stopped at step 200 do not count at step 300")
			.isFalse();
		assertThat(rule.decide(Curves.every100(Axis.STEP, 9, 9), 60, others).prune()).isTrue();
	}

	@Test
	void waitsForTheWarmupInStepsOrSeconds() {
		Curve candidate = Curves.every100(Axis.STEP, 9, 9, 9);

		assertThat(new MedianStoppingRule("val_loss", Goal.MINIMIZE, Warmup.ofSteps(400), 3)
			.decide(candidate, 60, finished).prune()).isFalse();
		assertThat(new MedianStoppingRule("val_loss", Goal.MINIMIZE, Warmup.ofSeconds(61), 3)
			.decide(candidate, 60, finished).prune()).isFalse();
		assertThat(new MedianStoppingRule("val_loss", Goal.MINIMIZE, Warmup.ofSteps(300), 3)
			.decide(candidate, 60, finished).prune()).isTrue();
	}

	@Test
	void aFractionalWarmupCountsInStepsOfTheFinishedRunsWhenTheProgramReportsSteps() {
		// The finished runs reached step 400: 0.6 of them is step 240, passed at step 300 whatever the clock says.
		Warmup tenth = Warmup.ofFraction(0.6, 10_000);

		assertThat(new MedianStoppingRule("val_loss", Goal.MINIMIZE, tenth, 3)
			.decide(Curves.every100(Axis.STEP, 9, 9), 1, finished).prune()).isFalse();
		assertThat(new MedianStoppingRule("val_loss", Goal.MINIMIZE, tenth, 3)
			.decide(Curves.every100(Axis.STEP, 9, 9, 9), 1, finished).prune()).isTrue();
		assertThat(new MedianStoppingRule("val_loss", Goal.MINIMIZE, tenth, 1)
			.decide(Curves.every100(Axis.STEP, 9, 9, 9), 1, List.of(Curves.every100(Axis.STEP, 1, 1, 1, 1))).prune())
			.as("until a run has finished, no one knows how long a run is")
			.isFalse();
		List<Curve> timed = List.of(Curves.finished(Axis.ELAPSED, 1, 1), Curves.finished(Axis.ELAPSED, 1, 1),
				Curves.finished(Axis.ELAPSED, 1, 1));
		assertThat(new MedianStoppingRule("loss", Goal.MINIMIZE, Warmup.ofFraction(0.5, 400), 3)
			.decide(Curves.every100(Axis.ELAPSED, 9, 9), 199, timed).prune())
			.as("on the time axis it is a fraction of the budget: 200 of 400 seconds")
			.isFalse();
		assertThat(new MedianStoppingRule("loss", Goal.MINIMIZE, Warmup.ofFraction(0.5, 400), 3)
			.decide(Curves.every100(Axis.ELAPSED, 9, 9), 200, timed).prune()).isTrue();
	}

	@Test
	void aStepWarmupIsNeverPassedOnTheElapsedTimeAxis() {
		List<Curve> timed = List.of(Curves.finished(Axis.ELAPSED, 1, 1), Curves.finished(Axis.ELAPSED, 1, 1),
				Curves.finished(Axis.ELAPSED, 1, 1));
		Curve candidate = Curves.every100(Axis.ELAPSED, 9, 9);

		assertThat(new MedianStoppingRule("loss", Goal.MINIMIZE, Warmup.ofSteps(1), 3).decide(candidate, 200, timed)
			.prune()).isFalse();
		assertThat(rule.decide(candidate, 200, timed).reason()).contains("at 3m20s of training");
	}

	@Test
	void maximizingPrunesRunsBelowTheMedian() {
		MedianStoppingRule accuracy = new MedianStoppingRule("acc", Goal.MAXIMIZE, Warmup.NONE, 3);
		List<Curve> others = List.of(Curves.finished(Axis.STEP, 0.5, 0.8), Curves.finished(Axis.STEP, 0.6, 0.85),
				Curves.finished(Axis.STEP, 0.7, 0.9));

		assertThat(accuracy.decide(Curves.every100(Axis.STEP, 0.55), 1, others).prune()).isTrue();
		assertThat(accuracy.decide(Curves.every100(Axis.STEP, 0.6), 1, others).prune()).isFalse();
	}

	@Test
	void aRunWithNoFiniteValueYetIsLeftToTheDivergenceCheck() {
		assertThat(rule.decide(Curves.every100(Axis.STEP, Double.NaN), 1, finished).prune()).isFalse();
	}

	@Test
	void minRunsMustBePositive() {
		assertThatIllegalArgumentException().isThrownBy(() -> new MedianStoppingRule("l", Goal.MINIMIZE, Warmup.NONE, 0));
	}
}
