package dev.nightshift.experiments.recovery;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of crash recovery.
 *
 * @param tick          how often the reconciler looks for stuck state besides once at start (default 1 min)
 * @param keepCompleted how long completed event publications stay in {@code event_publication}, for a look at
 *                      what happened lately, before the reconciler deletes them (default 1 h)
 * @param maxAttempts   how many times a failed follow-up is resubmitted before it is left FAILED for a person to
 *                      look at; the reconciler's repairs still cover what it was for (default 5)
 */
@ConfigurationProperties("nightshift.recovery")
public record RecoveryProperties(Duration tick, Duration keepCompleted, Integer maxAttempts) {

	public RecoveryProperties {
		tick = tick == null ? Duration.ofMinutes(1) : tick;
		keepCompleted = keepCompleted == null ? Duration.ofHours(1) : keepCompleted;
		maxAttempts = maxAttempts == null ? 5 : maxAttempts;
		if (tick.isNegative() || tick.isZero()) {
			throw new IllegalArgumentException("nightshift.recovery.tick must be positive, was " + tick);
		}
		if (keepCompleted.isNegative()) {
			throw new IllegalArgumentException("nightshift.recovery.keep-completed must not be negative, was " + keepCompleted);
		}
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("nightshift.recovery.max-attempts must be at least 1, was " + maxAttempts);
		}
	}
}
