package dev.nightshift.scheduler.pruning;

import java.util.Collection;

/** A rule that decides, at a run's latest point, whether the run is hopeless compared with the other runs. */
public sealed interface PruningRule permits MedianStoppingRule, AshaRule {

	/**
	 * Decides for {@code candidate}, which has just received its latest point after {@code elapsedSeconds} of
	 * training, against the curves of the experiment's other runs (finished ones marked so).
	 */
	PruningDecision decide(Curve candidate, double elapsedSeconds, Collection<Curve> others);
}
