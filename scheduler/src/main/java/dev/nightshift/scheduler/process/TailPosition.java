package dev.nightshift.scheduler.process;

/**
 * How far the metrics of a run have been delivered: the offsets just after the last line of the run log and of the
 * metrics file whose points went to the listener. Stored with the points, it lets {@link RunSupervisor#attach}
 * after a restart deliver each point exactly once.
 *
 * @param logOffset         byte offset in {@code run.log}
 * @param metricsFileOffset byte offset in the {@code NIGHTSHIFT_METRICS} file
 */
public record TailPosition(long logOffset, long metricsFileOffset) {

	/** Nothing delivered yet. */
	public static final TailPosition START = new TailPosition(0, 0);

	public TailPosition {
		if (logOffset < 0 || metricsFileOffset < 0) {
			throw new IllegalArgumentException("offsets must not be negative");
		}
	}
}
