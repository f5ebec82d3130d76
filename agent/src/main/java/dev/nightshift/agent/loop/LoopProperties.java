package dev.nightshift.agent.loop;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the research loop.
 *
 * @param tick         how often every running loop is looked at, besides the events that wake it (default 5 s)
 * @param deadEndRuns  after how many finished runs that varied its one factor alone, none kept, a one-factor
 *                     question is answered (DEAD_END, or REFUTED when each was worse beyond the noise; default 3)
 * @param strategy     the built-in strategy proposing when no LLM is configured (default {@code tpe})
 * @param breaker      what a loop does when its proposer keeps failing
 */
@ConfigurationProperties("nightshift.loop")
public record LoopProperties(Duration tick, Integer deadEndRuns, String strategy, Breaker breaker) {

	public LoopProperties {
		tick = tick == null ? Duration.ofSeconds(5) : tick;
		deadEndRuns = deadEndRuns == null ? 3 : deadEndRuns;
		strategy = strategy == null || strategy.isBlank() ? "tpe" : strategy;
		breaker = breaker == null ? new Breaker(null, null, null) : breaker;
	}

	/**
	 * The proposer's breaker. A call whose proposals were all rejected, or that ended in an agent error, is a
	 * failure; the next call waits {@code backoff}, doubled for each further failure in a row up to
	 * {@code maxBackoff}; after {@code maxConsecutiveFailures} in a row the loop pauses itself and says why. A call
	 * with a usable proposal, or a person resuming the loop, starts the count again.
	 *
	 * @param maxConsecutiveFailures failures in a row that pause the loop (default 8)
	 * @param backoff                the wait after the first failure (default 30 s)
	 * @param maxBackoff             the longest wait (default 10 minutes)
	 */
	public record Breaker(Integer maxConsecutiveFailures, Duration backoff, Duration maxBackoff) {

		public Breaker {
			maxConsecutiveFailures = maxConsecutiveFailures == null ? 8 : maxConsecutiveFailures;
			backoff = backoff == null ? Duration.ofSeconds(30) : backoff;
			maxBackoff = maxBackoff == null ? Duration.ofMinutes(10) : maxBackoff;
			if (maxConsecutiveFailures < 1) {
				throw new IllegalArgumentException(
						"nightshift.loop.breaker.max-consecutive-failures must be at least 1, was " + maxConsecutiveFailures);
			}
			if (backoff.isNegative() || maxBackoff.isNegative()) {
				throw new IllegalArgumentException("nightshift.loop.breaker.backoff and max-backoff must not be negative");
			}
		}

		/** The wait after {@code failures} failures in a row: {@code backoff * 2^(failures - 1)}, capped. */
		public Duration backoffAfter(int failures) {
			if (failures <= 0) {
				return Duration.ZERO;
			}
			Duration wait = backoff;
			for (int i = 1; i < failures && wait.compareTo(maxBackoff) < 0; i++) {
				wait = wait.multipliedBy(2);
			}
			return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
		}
	}
}
