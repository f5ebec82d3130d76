package dev.nightshift.bench;

import java.util.List;

/**
 * What one study did with its GPU budget: the trials started, in order, each run as far as its pruner let it
 * ({@code consumed[i]} of its points). Every method is scored here in the same way, from those numbers alone.
 */
record PrunedStudy(List<CurveProblem.Trial> trials, int[] consumed, double budgetSeconds, double optimum) {

	/** The score of the study: regret, time to the target regret, trials, what pruning cost. */
	record Score(double regret, double secondsToTarget, int started, int completed, int pruned, double usedSeconds,
			boolean bestPruned) {

		double trialsPerGpuHour() {
			return started / (usedSeconds / 3600);
		}
	}

	/**
	 * Scores the study: trials run one after another until the budget is spent (the last one is cut where it
	 * runs out, and does not count as completed). The best trial is the completed one with the best reported
	 * final value; its regret is its true final value minus the optimum. The target is reached when the best
	 * trial's regret first drops to {@code targetRegret} or below.
	 */
	Score score(double targetRegret) {
		double used = 0;
		double bestObserved = Double.POSITIVE_INFINITY;
		double regret = Double.POSITIVE_INFINITY;
		double toTarget = Double.POSITIVE_INFINITY;
		int started = 0;
		int completed = 0;
		int pruned = 0;
		// Which started trial would have ended best had it run to the end, and whether it was stopped early.
		double bestIfFull = Double.POSITIVE_INFINITY;
		boolean bestPruned = false;
		for (int i = 0; i < consumed.length && used < budgetSeconds; i++) {
			CurveProblem.Trial trial = trials.get(i);
			double cost = trial.seconds()[consumed[i] - 1];
			started++;
			if (used + cost > budgetSeconds) {
				used = budgetSeconds;
				break;
			}
			used += cost;
			boolean full = consumed[i] == trial.points();
			double finalValue = trial.observedFinal();
			if (Double.isFinite(finalValue) && finalValue < bestIfFull) {
				bestIfFull = finalValue;
				bestPruned = !full;
			}
			if (!full) {
				pruned++;
				continue;
			}
			completed++;
			if (Double.isFinite(finalValue) && finalValue < bestObserved) {
				bestObserved = finalValue;
				regret = trial.trueFinal() - optimum;
				if (regret <= targetRegret && used < toTarget) {
					toTarget = used;
				}
			}
		}
		return new Score(regret, toTarget, started, completed, pruned, used, bestPruned);
	}
}
