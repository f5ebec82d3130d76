package dev.nightshift.agent.loop;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the {@code hybrid} proposer ({@code nightshift.loop.strategy=hybrid} with an LLM configured): the LLM
 * proposes code changes and questions, and after each kept code change the built-in TPE tunes the parameters
 * around it.
 *
 * @param tuningRuns how many proposals the TPE makes after each kept code change before the LLM's next idea
 *                   (default 4; 0 leaves every proposal to the LLM)
 */
@ConfigurationProperties("nightshift.agent.hybrid")
public record HybridProperties(Integer tuningRuns) {

	public HybridProperties {
		tuningRuns = tuningRuns == null ? 4 : tuningRuns;
		if (tuningRuns < 0) {
			throw new IllegalArgumentException("nightshift.agent.hybrid.tuning-runs must not be negative, was " + tuningRuns);
		}
	}
}
