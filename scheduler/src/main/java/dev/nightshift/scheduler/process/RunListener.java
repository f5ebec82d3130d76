package dev.nightshift.scheduler.process;

/**
 * Hears about a supervised run while it runs. Called from the run's supervising thread, so a slow listener slows the
 * reading of the log but never the training process.
 */
@FunctionalInterface
public interface RunListener {

	/** Metric points read since the last call: at most every ~200 ms, or once about 1000 points have gathered. */
	void onMetrics(MetricBatch batch);

	/** A listener that drops everything. */
	RunListener IGNORE = batch -> {};
}
