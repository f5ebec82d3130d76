package dev.nightshift.scheduler.pruning;

import dev.nightshift.experiments.run.RunStatus;
import dev.nightshift.scheduler.metrics.ParsedMetric;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The curves of the pruned metric of one experiment's runs, kept in memory so that a decision at a new point costs
 * a binary search per other run, never a read of their points. Runs that ended SUCCEEDED are the finished runs of
 * the median rule; PRUNED and TIMED_OUT runs stay for ASHA, which counts every run that reached a rung; curves of
 * runs that failed are dropped. Thread-safe: the runs of an experiment report from their own threads.
 */
final class ExperimentCurves {

	private final String metric;
	private final PruningRule rule;
	private final Map<Long, Curve> curves = new HashMap<>();

	ExperimentCurves(String metric, PruningRule rule) {
		this.metric = metric;
		this.rule = rule;
	}

	String metric() {
		return metric;
	}

	/** Adds one point of {@code run} read back from the database, {@code elapsedSeconds} into its training. */
	synchronized void load(long run, Long step, double value, double elapsedSeconds) {
		add(run, step, value, elapsedSeconds);
	}

	/**
	 * Adds the run's new points, all {@code elapsedSeconds} into its training, and, for a prunable run that
	 * reported the metric, asks the rule.
	 *
	 * @return the rule's reason when the run is to be stopped
	 */
	synchronized Optional<String> observe(long run, List<ParsedMetric> points, double elapsedSeconds,
			boolean prunable) {
		Curve curve = null;
		for (ParsedMetric point : points) {
			if (point.name().equals(metric)) {
				curve = add(run, point.step(), point.value(), elapsedSeconds);
			}
		}
		if (!prunable || curve == null) {
			return Optional.empty();
		}
		PruningDecision decision = rule.decide(curve, elapsedSeconds, curves.values());
		return decision.prune() ? Optional.of(decision.reason()) : Optional.empty();
	}

	/** Settles what the run's curve counts for once it has ended with {@code outcome}. */
	synchronized void ended(long run, RunStatus outcome) {
		Curve curve = curves.get(run);
		if (curve == null) {
			return;
		}
		switch (outcome) {
			case SUCCEEDED -> curve.finish();
			case PRUNED, TIMED_OUT, RUNNING -> { }
			default -> curves.remove(run);
		}
	}

	synchronized int runs() {
		return curves.size();
	}

	private Curve add(long run, Long step, double value, double elapsedSeconds) {
		// The first point decides the run's axis: steps when the program reports them.
		Curve curve = curves.computeIfAbsent(run, id -> new Curve(step != null ? Axis.STEP : Axis.ELAPSED));
		double at = curve.axis() == Axis.ELAPSED ? elapsedSeconds : step != null ? step : curve.lastAt();
		curve.add(at, value);
		return curve;
	}
}
