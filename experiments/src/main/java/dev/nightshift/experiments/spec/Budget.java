package dev.nightshift.experiments.spec;

import java.time.Duration;
import java.util.Objects;

/**
 * The wall-clock budget of one run; past it the run's process tree is stopped (after a grace period).
 *
 * @param run the per-run wall-clock time, more than zero and at most {@link #MAX_RUN}
 */
public record Budget(Duration run) {

	/** Longer runs do not fit the overnight loop this tool is for; a week is already generous. */
	public static final Duration MAX_RUN = Duration.ofDays(7);

	public Budget {
		Objects.requireNonNull(run, "run");
		if (run.isNegative() || run.isZero() || run.compareTo(MAX_RUN) > 0) {
			throw new IllegalArgumentException("run budget must be more than 0 and at most 7d, got " + run);
		}
	}
}
