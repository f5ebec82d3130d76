package dev.nightshift.agent;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One run as proposers see it.
 *
 * @param objective  its objective value, or null when it produced none
 * @param delta      objective minus the best (or baseline) at the time it was judged, or null
 * @param verdict    KEEP, DISCARD, CONFIRMING, or null
 * @param diff       the patch it ran with, or null
 * @param logExcerpt the end of its log, for failures; null otherwise
 * @param varied     the factors it changed against the best it was queued on (parameter names, {@code code} for
 *                   a patch): a run is evidence about a factor only when it varied that one alone; null when not
 *                   recorded
 */
public record RunSummary(long id, Long proposalId, Long questionId, String kind, String status,
		Map<String, Object> params, Double objective, Double delta, String verdict, String diff, String logExcerpt,
		Instant finishedAt, List<String> varied) {

	/** A run whose varied factors are not known. */
	public RunSummary(long id, Long proposalId, Long questionId, String kind, String status, Map<String, Object> params,
			Double objective, Double delta, String verdict, String diff, String logExcerpt, Instant finishedAt) {
		this(id, proposalId, questionId, kind, status, params, objective, delta, verdict, diff, logExcerpt, finishedAt,
				null);
	}
}
