package dev.nightshift.experiments.run;

import java.time.Instant;

/**
 * One reported value of one metric of a run.
 *
 * @param seq   the order in which the run reported it
 * @param step  the training step it belongs to, when the line said
 * @param value the value; NaN and infinities are kept
 */
public record MetricPoint(int seq, String name, Long step, double value, Instant recordedAt) {
}
