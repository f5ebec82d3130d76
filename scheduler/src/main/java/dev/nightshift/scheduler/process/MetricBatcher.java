package dev.nightshift.scheduler.process;

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

	private final RunListener listener;
	private final ObjectiveTracker objective;
	private final TailPosition resumeFrom;
	private final List<ParsedMetric> pending = new ArrayList<>();
	private long logOffset;
	private long metricsFileOffset;
	private long lastFlush = System.nanoTime();

	MetricBatcher(RunListener listener, ObjectiveTracker objective, TailPosition resumeFrom) {
		this.listener = listener;
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
		if (System.nanoTime() - lastFlush >= MAX_DELAY_NANOS) {
			flush();
		}
	}

	void flush() {
		lastFlush = System.nanoTime();
		if (pending.isEmpty()) {
			return;
		}
		MetricBatch batch = new MetricBatch(pending, new TailPosition(logOffset, metricsFileOffset));
		pending.clear();
		try {
			listener.onMetrics(batch);
		} catch (RuntimeException listenerFault) {
			// The process and the outcome matter more than one lost batch; keep supervising.
			log.warn("Metric listener failed on a batch of {} points", batch.points().size(), listenerFault);
		}
	}

	private void add(List<ParsedMetric> points) {
		// A line's points stay in one batch, so that its resume position never splits a line.
		pending.addAll(points);
		if (pending.size() >= RunListener.MAX_BATCH_POINTS) {
			flush();
		}
	}
}
