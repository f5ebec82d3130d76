package dev.nightshift.scheduler.metrics;

import java.util.List;
import java.util.Objects;

/**
 * Remembers what a run reported for its objective metric: the objective of a run is the last value reported (SPEC
 * section 3), and a last value that is NaN or infinite means the run diverged. Thread-safe.
 */
public final class ObjectiveTracker {

	private final String metric;
	private boolean seen;
	private double last = Double.NaN;

	public ObjectiveTracker(String metric) {
		this.metric = Objects.requireNonNull(metric, "metric");
	}

	/** Takes note of the objective among {@code metrics}, if it is there. */
	public synchronized void accept(List<ParsedMetric> metrics) {
		for (ParsedMetric point : metrics) {
			if (point.name().equals(metric)) {
				seen = true;
				last = point.value();
			}
		}
	}

	/** The objective metric's name. */
	public String metric() {
		return metric;
	}

	/** Whether the objective was reported at least once. */
	public synchronized boolean seen() {
		return seen;
	}

	/** The last reported value, NaN and infinities included; {@code null} when never reported. */
	public synchronized Double last() {
		return seen ? last : null;
	}

	/** Whether the last reported value is NaN or infinite. */
	public synchronized boolean lastNonFinite() {
		return seen && !Double.isFinite(last);
	}
}
