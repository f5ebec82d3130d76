package dev.nightshift.scheduler.process;

/**
 * Hears about a supervised run while it runs. Called from the run's supervising thread, so a slow listener slows the
 * reading of the log but never the training process.
 */
@FunctionalInterface
public interface RunListener {

	/**
	 * The most points a batch gathers before it is delivered early. At 25,000 points a second a batch fills in
	 * the 200 ms window; a script reporting faster gets fewer, larger transactions rather than more of them.
	 */
	int MAX_BATCH_POINTS = 5_000;

	/** Metric points read since the last call: at most every ~200 ms, or once {@link #MAX_BATCH_POINTS} have gathered. */
	void onMetrics(MetricBatch batch);

	/** A listener that drops everything. */
	RunListener IGNORE = batch -> {};
}
