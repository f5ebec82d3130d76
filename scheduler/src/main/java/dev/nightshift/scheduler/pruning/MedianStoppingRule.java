package dev.nightshift.scheduler.pruning;

import dev.nightshift.experiments.spec.Goal;
import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;

/**
 * The median stopping rule (Golovin et al., Google Vizier; Optuna's {@code MedianPruner}, Katib's median stop): a
 * run is stopped at a point when its best value so far is worse than the median of the values that finished runs
 * had at the same point. Only finished runs that reached the point count, and nothing is pruned at a point fewer
 * than {@code minRuns} of them reached.
 *
 * @param metric the pruned metric's name, for the reason
 * @param goal which direction of the metric is better
 * @param warmup how far a run must have come before it may be pruned
 * @param minRuns finished runs that must have reached a point before anything is pruned there, 1 or more
 */
public record MedianStoppingRule(String metric, Goal goal, Warmup warmup, int minRuns) implements PruningRule {

	public MedianStoppingRule {
		Objects.requireNonNull(metric, "metric");
		Objects.requireNonNull(goal, "goal");
		Objects.requireNonNull(warmup, "warmup");
		if (minRuns < 1) {
			throw new IllegalArgumentException("minRuns must be 1 or more, got " + minRuns);
		}
	}

	@Override
	public PruningDecision decide(Curve candidate, double elapsedSeconds, Collection<Curve> others) {
		if (candidate.isEmpty() || !warmup.passed(candidate, elapsedSeconds, others)) {
			return PruningDecision.keepGoing();
		}
		double best = candidate.best(goal);
		if (Double.isNaN(best)) {
			return PruningDecision.keepGoing();
		}
		double point = candidate.lastAt();
		double[] values = new double[others.size()];
		int count = 0;
		for (Curve other : others) {
			if (other != candidate && other.finished() && other.axis() == candidate.axis() && other.reached(point)) {
				double value = other.valueAt(point);
				if (Double.isFinite(value)) {
					values[count++] = value;
				}
			}
		}
		if (count < minRuns) {
			return PruningDecision.keepGoing();
		}
		double median = Values.quantile(Arrays.copyOf(values, count), 0.5);
		if (!Values.worse(best, median, goal)) {
			return PruningDecision.keepGoing();
		}
		return PruningDecision.prune("median rule: " + metric + " " + Values.format(best) + " at "
				+ candidate.axis().describe(point) + " is worse than the median " + Values.format(median) + " of "
				+ count + " runs");
	}
}
