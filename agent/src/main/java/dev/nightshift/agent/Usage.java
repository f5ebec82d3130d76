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

	/**
	 * Share {@code index} of {@code n} even shares of this usage, which add up to it: the tokens divided, their
	 * remainder on share 0; the dollars divided.
	 */
	public Usage share(int n, int index) {
		if (n <= 1) {
			return this;
		}
		return new Usage(part(inputTokens, n, index), part(outputTokens, n, index), costUsd / n,
				part(cachedTokens, n, index));
	}

	private static long part(long total, int n, int index) {
		return total / n + (index == 0 ? total % n : 0);
	}
}
