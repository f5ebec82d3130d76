package dev.nightshift.agent;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A proposal as a proposer made it, before validation.
 *
 * @param questionId     an existing open question it studies, or null
 * @param question       a new question in words, when {@code questionId} is null
 * @param params         parameter values to set (may be empty when there is a patch)
 * @param patch          a unified diff or SEARCH/REPLACE blocks, or null
 * @param rationale      why it is worth a run
 * @param expectedEffect what the proposer expects, or null
 * @param usage          tokens and cost spent making it (zero for strategies)
 * @param error          when the proposer could not produce a usable proposal: what went wrong; the other
 *                       fields may then be empty, and {@code rawAnswer} keeps what the model said
 * @param rawAnswer      the model's answer as received, kept for review when it was unusable
 */
public record ProposalDraft(Long questionId, String question, Map<String, Object> params, String patch,
		String rationale, String expectedEffect, Usage usage, String error, String rawAnswer) {

	public ProposalDraft {
		// Not Map.copyOf: a person may send a null value, which validation names instead of a NullPointerException.
		params = params == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(params));
		usage = usage == null ? Usage.NONE : usage;
	}

	/** A well-formed draft. */
	public static ProposalDraft of(Long questionId, String question, Map<String, Object> params, String patch,
			String rationale, String expectedEffect, Usage usage) {
		return new ProposalDraft(questionId, question, params, patch, rationale, expectedEffect, usage, null, null);
	}

	/** A proposer fault: an answer that could not be used. */
	public static ProposalDraft failed(String error, String rawAnswer, Usage usage) {
		return new ProposalDraft(null, null, Map.of(), null, null, null, usage, error, rawAnswer);
	}

	/** The same draft with {@code other} as what making it cost. */
	public ProposalDraft withUsage(Usage other) {
		return new ProposalDraft(questionId, question, params, patch, rationale, expectedEffect, other, error, rawAnswer);
	}

	public boolean failed() {
		return error != null;
	}
}
