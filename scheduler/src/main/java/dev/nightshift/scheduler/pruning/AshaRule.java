package dev.nightshift.scheduler.pruning;

import dev.nightshift.experiments.spec.Goal;
import dev.nightshift.experiments.spec.Pruning;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Asynchronous successive halving (Li et al. 2020; Ray Tune's {@code ASHAScheduler} in its stopping form): rungs lie
 * at fractions of the budget, and a run that reaches a rung goes on only if its best value so far is in the top
 * {@code 1/reductionFactor} of the runs, finished or not, that reached that rung. Each rung is judged once, when the
 * run passes it. On the step axis the budget is the last step the finished runs reached; until a run has finished
 * there is no rung.
 *
 * @param metric the pruned metric's name, for the reason
 * @param goal which direction of the metric is better
 * @param warmup how far a run must have come before it may be pruned
 * @param minRuns other runs that must have reached a rung before anything is pruned there, 1 or more
 * @param reductionFactor η: the top 1/η of the runs at a rung go on, 2 or more
 * @param rungs the rungs as fractions of the budget, each above 0 and below 1, ascending
 * @param budgetSeconds the run budget in seconds, for rungs on the elapsed-time axis
 */
public record AshaRule(String metric, Goal goal, Warmup warmup, int minRuns, int reductionFactor, List<Double> rungs,
		double budgetSeconds) implements PruningRule {

	public AshaRule {
		Objects.requireNonNull(metric, "metric");
		Objects.requireNonNull(goal, "goal");
		Objects.requireNonNull(warmup, "warmup");
		rungs = List.copyOf(rungs);
		if (minRuns < 1) {
			throw new IllegalArgumentException("minRuns must be 1 or more, got " + minRuns);
		}
		if (reductionFactor < 2) {
			throw new IllegalArgumentException("reductionFactor must be 2 or more, got " + reductionFactor);
		}
		if (rungs.isEmpty() || rungs.stream().anyMatch(f -> !(f > 0 && f < 1))) {
			throw new IllegalArgumentException("rungs must be fractions above 0 and below 1, got " + rungs);
		}
		if (!(budgetSeconds > 0)) {
			throw new IllegalArgumentException("budgetSeconds must be more than 0, got " + budgetSeconds);
		}
	}

	/** The rungs ASHA uses when a spec names none: from a tenth of the run up by η (0.1, 0.3, 0.9 for η = 3). */
	public static List<Double> defaultRungs(int reductionFactor) {
		return Pruning.defaultRungs(reductionFactor);
	}

	@Override
	public PruningDecision decide(Curve candidate, double elapsedSeconds, Collection<Curve> others) {
		if (candidate.isEmpty() || !warmup.passed(candidate, elapsedSeconds, others)) {
			return PruningDecision.keepGoing();
		}
		double full = fullLength(candidate.axis(), others);
		if (!(full > 0)) {
			return PruningDecision.keepGoing();
		}
		for (int rung = 0; rung < rungs.size(); rung++) {
			double point = rungs.get(rung) * full;
			// A rung is judged once: at the update that carried the run past it.
			if (candidate.previousAt() < point && candidate.reached(point)) {
				PruningDecision decision = judge(rung + 1, point, candidate, others);
				if (decision.prune()) {
					return decision;
				}
			}
		}
		return PruningDecision.keepGoing();
	}

	private double fullLength(Axis axis, Collection<Curve> others) {
		if (axis == Axis.ELAPSED) {
			return budgetSeconds;
		}
		return Warmup.lastFinishedStep(others);
	}

	private PruningDecision judge(int rung, double point, Curve candidate, Collection<Curve> others) {
		double value = candidate.bestUpTo(point, goal);
		if (Double.isNaN(value)) {
			return PruningDecision.keepGoing();
		}
		double[] values = new double[others.size() + 1];
		int count = 0;
		for (Curve other : others) {
			if (other != candidate && other.axis() == candidate.axis() && other.reached(point)) {
				double at = other.bestUpTo(point, goal);
				if (!Double.isNaN(at)) {
					// Ordered so that smaller is better whatever the goal.
					values[count++] = goal == Goal.MINIMIZE ? at : -at;
				}
			}
		}
		if (count < minRuns) {
			return PruningDecision.keepGoing();
		}
		values[count] = goal == Goal.MINIMIZE ? value : -value;
		double cutoff = Values.quantile(Arrays.copyOf(values, count + 1), 1.0 / reductionFactor);
		cutoff = goal == Goal.MINIMIZE ? cutoff : -cutoff;
		if (!Values.worse(value, cutoff, goal)) {
			return PruningDecision.keepGoing();
		}
		return PruningDecision.prune("ASHA rung " + rung + " at " + candidate.axis().describe(point) + ": " + metric
				+ " " + Values.format(value) + " is not in the top 1/" + reductionFactor + " of " + (count + 1)
				+ " runs there (cutoff " + Values.format(cutoff) + ")");
	}
}
