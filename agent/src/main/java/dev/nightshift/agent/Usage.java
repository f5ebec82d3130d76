package dev.nightshift.agent;

/**
 * What a proposer call cost.
 *
 * @param inputTokens  prompt tokens
 * @param outputTokens answer tokens
 * @param costUsd      in US dollars, from the configured prices; 0 when unknown
 * @param cachedTokens prompt tokens the provider read from its prompt cache (OpenAI's cached tokens, Anthropic's
 *                     cache reads); 0 when none or unknown
 */
public record Usage(long inputTokens, long outputTokens, double costUsd, long cachedTokens) {

	public static final Usage NONE = new Usage(0, 0, 0);

	/** A cost without cached tokens. */
	public Usage(long inputTokens, long outputTokens, double costUsd) {
		this(inputTokens, outputTokens, costUsd, 0);
	}

	public Usage plus(Usage other) {
		return new Usage(inputTokens + other.inputTokens, outputTokens + other.outputTokens, costUsd + other.costUsd,
				cachedTokens + other.cachedTokens);
	}
}
