package dev.nightshift.scheduler.pruning;

import dev.nightshift.experiments.spec.Durations;
import java.time.Duration;

/**
 * What "the same point" of two runs means: the training step when the program reports {@code step}, the elapsed
 * training time in seconds otherwise.
 */
public enum Axis {
	STEP,
	ELAPSED;

	/** The point as a person reads it: {@code step 300} or {@code 1m30s of training}. */
	public String describe(double at) {
		if (this == STEP) {
			return "step " + Math.round(at);
		}
		return Durations.format(Duration.ofMillis(Math.round(Math.max(at, 0) * 1000))) + " of training";
	}
}
