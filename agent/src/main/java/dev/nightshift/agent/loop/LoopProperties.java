package dev.nightshift.agent.loop;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the research loop.
 *
 * @param tick         how often every running loop is looked at, besides the events that wake it (default 5 s)
 * @param deadEndRuns  after how many finished runs without an improvement a question becomes a dead end
 *                     (default 3)
 * @param strategy     the built-in strategy proposing when no LLM is configured (default {@code tpe})
 */
@ConfigurationProperties("nightshift.loop")
public record LoopProperties(Duration tick, Integer deadEndRuns, String strategy) {

	public LoopProperties {
		tick = tick == null ? Duration.ofSeconds(5) : tick;
		deadEndRuns = deadEndRuns == null ? 3 : deadEndRuns;
		strategy = strategy == null || strategy.isBlank() ? "tpe" : strategy;
	}
}
