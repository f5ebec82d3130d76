package dev.nightshift.scheduler.process;

import java.util.List;

import dev.nightshift.scheduler.metrics.ParsedMetric;

/**
 * Metric points read from a running process since the previous batch, in the order read.
 *
 * @param points     the points; never empty
 * @param resumeFrom where to resume after a restart so that these points are not delivered again
 */
public record MetricBatch(List<ParsedMetric> points, TailPosition resumeFrom) {

	public MetricBatch {
		points = List.copyOf(points);
	}
}
