package dev.nightshift.agent;

import java.util.Map;

/**
 * A run of a patch that crashed (FAILED: a non-zero exit, not a time-out, OOM or divergence), as the debug step
 * shows it to the LLM researcher so it may propose a fix.
 *
 * @param proposalId the proposal whose patch crashed; the fix becomes its child
 * @param runId      the run that crashed
 * @param questionId the question it studied; the fix studies the same one
 * @param question   that question in words
 * @param params     the parameter values the proposal set (not the base's)
 * @param patch      the patch that crashed
 * @param logTail    the end of the run's log (the error recorded by the scheduler and the log's last lines)
 * @param depth      0 for a first attempt, 1 for a fix that crashed in turn
 */
public record Crash(long proposalId, long runId, long questionId, String question, Map<String, Object> params,
		String patch, String logTail, int depth) {

	/** How deep the fixes of one idea may go: a fix, and a fix of that fix, as AIDE's debug step allows. */
	public static final int MAX_DEPTH = 2;

	public Crash {
		params = params == null ? Map.of() : Map.copyOf(params);
	}
}
