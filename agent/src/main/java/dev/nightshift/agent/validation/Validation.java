package dev.nightshift.agent.validation;

import java.util.List;
import java.util.Map;

/**
 * What validation made of a draft.
 *
 * @param params     the parameter values, normalised when they are valid (as given otherwise)
 * @param patch      the patch with line endings normalised, or null
 * @param questionId an existing question of the experiment the draft refers to (by id, or by repeating a dead
 *                   end's words), or null
 * @param reasons    every broken rule, for a person and for the proposer; empty when the draft is valid
 */
public record Validation(Map<String, Object> params, String patch, Long questionId, List<String> reasons) {

	public Validation {
		params = params == null ? Map.of() : params;
		reasons = List.copyOf(reasons);
	}

	public boolean valid() {
		return reasons.isEmpty();
	}

	/** The reasons as one line, as recorded on a rejected proposal. */
	public String reason() {
		return String.join("; ", reasons);
	}
}
