package dev.nightshift.scheduler.metrics;

import java.util.Objects;

/**
 * One metric value read from one line of training output.
 *
 * @param name  the metric's name as printed
 * @param step  the training step the line gave with a {@code step} field, or {@code null}
 * @param value the value; NaN and infinities are kept, because a diverging run reports them
 */
public record ParsedMetric(String name, Long step, double value) {

	public ParsedMetric {
		Objects.requireNonNull(name, "name");
	}
}
