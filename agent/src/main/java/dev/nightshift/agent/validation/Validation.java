package dev.nightshift.agent.validation;

import java.util.List;
import java.util.Map;

import dev.nightshift.experiments.shared.Violation;

/**
 * What validation made of a draft.
 *
 * @param params     the parameter values, normalised when they are valid (as given otherwise)
 * @param patch      the patch with line endings normalised, or null
 * @param questionId an existing question of the experiment the draft refers to (by id, or by repeating a dead
 *                   end's words), or null
 * @param violations every broken rule, naming the field and the rule; each message is the whole reason as the
 *                   proposer reads it; empty when the draft is valid
 */
public record Validation(Map<String, Object> params, String patch, Long questionId, List<Violation> violations) {

	public Validation {
		params = params == null ? Map.of() : params;
		violations = List.copyOf(violations);
	}

	public boolean valid() {
		return violations.isEmpty();
	}

	/** Every broken rule in words, for a person and for the proposer. */
	public List<String> reasons() {
		return violations.stream().map(Violation::message).toList();
	}

	/** The reasons as one line, as recorded on a rejected proposal. */
	public String reason() {
		return String.join("; ", reasons());
	}
}
