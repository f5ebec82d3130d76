package dev.nightshift.agent;

/**
 * What a proposer call cost.
 *
 * @param inputTokens  prompt tokens
 * @param outputTokens answer tokens
 * @param costUsd      in US dollars, from the configured prices; 0 when unknown
 */
public record Usage(long inputTokens, long outputTokens, double costUsd) {

	public static final Usage NONE = new Usage(0, 0, 0);

	public Usage plus(Usage other) {
		return new Usage(inputTokens + other.inputTokens, outputTokens + other.outputTokens, costUsd + other.costUsd);
	}
}
