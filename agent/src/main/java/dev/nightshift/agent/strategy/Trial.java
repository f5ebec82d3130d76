package dev.nightshift.agent.strategy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.nightshift.agent.ResearchContext;
import dev.nightshift.agent.RunSummary;
import dev.nightshift.experiments.spec.Goal;

/**
 * A finished run as a strategy learns from it: its point in the search space and its loss, the objective
 * turned so that lower is better whatever the goal.
 *
 * @param point its parameter values as working coordinates
 * @param loss  the objective (negated when the goal is to maximize), or null when the run gave no finite one
 * @param run   the run itself
 */
record Trial(double[] point, Double loss, RunSummary run) {

	boolean failed() {
		return loss == null;
	}

	/** The context's history, oldest first. */
	static List<Trial> history(ResearchContext context, SearchSpace space) {
		boolean maximize = context.spec().objective().goal() == Goal.MAXIMIZE;
		List<RunSummary> runs = context.history() == null ? List.of() : context.history();
		List<Trial> trials = new ArrayList<>(runs.size());
		for (int i = runs.size() - 1; i >= 0; i--) {
			RunSummary run = runs.get(i);
			Double objective = run.objective();
			Double loss = objective == null || !Double.isFinite(objective) ? null : maximize ? -objective : objective;
			trials.add(new Trial(space.encode(run.params() == null ? Map.of() : run.params()), loss, run));
		}
		return trials;
	}
}
