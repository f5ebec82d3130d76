package dev.nightshift.scheduler.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.nightshift.scheduler.metrics.ObjectiveTracker;
import dev.nightshift.scheduler.metrics.ParsedMetric;

/**
 * Gathers metric points from the log and the metrics file into batches for a {@link RunListener}, and shows every
 * point to the objective tracker. Points from lines before the resume position of an attach are tracked but not
 * delivered again. Not thread-safe: used from the supervising thread only.
 */
final class MetricBatcher {

	private static final Logger log = LoggerFactory.getLogger(MetricBatcher.class);

	static final long MAX_DELAY_NANOS = 200_000_000L;

	/** Points held for a listener that keeps failing, beyond which the oldest are given up (about 25 MB). */
	static final int MAX_HELD_POINTS = 50 * RunListener.MAX_BATCH_POINTS;
	static final Duration RETRY_DELAY = Duration.ofSeconds(1);
	private static final int FINAL_TRIES = 5;

	private final RunListener listener;
	private final long retryDelayNanos;
	private long retryAfter;
	private final ObjectiveTracker objective;
	private final TailPosition resumeFrom;
	private final List<ParsedMetric> pending = new ArrayList<>();
	private long logOffset;
	private long metricsFileOffset;
	private long lastFlush = System.nanoTime();

	MetricBatcher(RunListener listener, ObjectiveTracker objective, TailPosition resumeFrom) {
		this(listener, objective, resumeFrom, RETRY_DELAY);
	}

	MetricBatcher(RunListener listener, ObjectiveTracker objective, TailPosition resumeFrom, Duration retryDelay) {
		this.listener = listener;
		this.retryDelayNanos = retryDelay.toNanos();
		this.retryAfter = System.nanoTime();
		this.objective = objective;
		this.resumeFrom = resumeFrom;
		this.logOffset = resumeFrom.logOffset();
		this.metricsFileOffset = resumeFrom.metricsFileOffset();
	}

	void fromLog(List<ParsedMetric> points, long lineStart, long lineEnd) {
		objective.accept(points);
		if (lineStart >= resumeFrom.logOffset()) {
			logOffset = lineEnd;
			add(points);
		}
	}

	void fromMetricsFile(List<ParsedMetric> points, long lineStart, long lineEnd) {
		objective.accept(points);
		if (lineStart >= resumeFrom.metricsFileOffset()) {
			metricsFileOffset = lineEnd;
			add(points);
		}
	}

	void flushIfDue() {
		long now = System.nanoTime();
		if (now - lastFlush >= MAX_DELAY_NANOS && now - retryAfter >= 0) {
			flush();
		}
	}

	/**
	 * Delivers what is pending. When the listener fails (the database is away for a moment), the points stay
	 * pending, in order, and go with the next batch after {@link #RETRY_DELAY}: nothing is lost, and the resume
	 * position never runs ahead of the points delivered. Only beyond {@link #MAX_HELD_POINTS} are the oldest
	 * given up, so a listener that never recovers cannot exhaust the memory.
	 *
	 * @return whether nothing is pending any more
	 */
	boolean flush() {
		lastFlush = System.nanoTime();
		if (pending.isEmpty()) {
			return true;
		}
		MetricBatch batch = new MetricBatch(pending, new TailPosition(logOffset, metricsFileOffset));
		try {
			listener.onMetrics(batch);
			pending.clear();
			return true;
		} catch (RuntimeException listenerFault) {
			retryAfter = lastFlush + retryDelayNanos;
			log.warn("Metric listener failed on a batch of {} points; they are kept for the next try",
					batch.points().size(), listenerFault);
			return false;
		}
	}

	/** The last flush of a run that has ended: a failing listener gets a few more tries, a delay apart. */
	void flushAtEnd() throws InterruptedException {
		for (int tries = 1; !flush() && tries < FINAL_TRIES; tries++) {
			Thread.sleep(Math.max(1, retryDelayNanos / 1_000_000));
		}
		if (!pending.isEmpty()) {
			log.error("Metric listener still failing at the end of the run; {} points were not stored", pending.size());
		}
	}

	private void add(List<ParsedMetric> points) {
		// A line's points stay in one batch, so that its resume position never splits a line.
		pending.addAll(points);
		if (pending.size() > MAX_HELD_POINTS + RunListener.MAX_BATCH_POINTS) {
			// Only while the listener fails: trimmed a batch at a time, so the copy is rare.
			int dropped = pending.size() - MAX_HELD_POINTS;
			pending.subList(0, dropped).clear();
			log.error("Metric listener keeps failing; gave up the oldest {} points held for it", dropped);
		}
		if (pending.size() >= RunListener.MAX_BATCH_POINTS && System.nanoTime() - retryAfter >= 0) {
			flush();
		}
	}
}
