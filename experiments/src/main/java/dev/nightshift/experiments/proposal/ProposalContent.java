package dev.nightshift.experiments.proposal;

import java.util.Map;

/**
 * What a proposal changes and why.
 *
 * @param params         parameter values to set (may be empty when there is a patch)
 * @param patch          a unified diff or SEARCH/REPLACE blocks against the base, or null
 * @param rationale      why this is worth a run
 * @param expectedEffect what the proposer expects to see, or null
 */
public record ProposalContent(Map<String, Object> params, String patch, String rationale, String expectedEffect) {

	public ProposalContent {
		params = params == null ? Map.of() : params;
		patch = patch == null || patch.isBlank() ? null : patch;
	}
}
