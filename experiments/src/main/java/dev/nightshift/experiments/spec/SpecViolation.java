package dev.nightshift.experiments.spec;

import java.util.Objects;

/**
 * One thing wrong with a specification.
 *
 * @param field dotted path of the offending field ({@code parameters.lr.default}, {@code editable[2]}); empty for the
 *     document as a whole (a syntax error)
 * @param rule short kebab-case name of the broken rule ({@code required}, {@code unknown-key}, {@code min-max}, ...)
 * @param message a sentence for a person, saying what is wrong and what is accepted
 */
public record SpecViolation(String field, String rule, String message) {

	public SpecViolation {
		Objects.requireNonNull(field, "field");
		Objects.requireNonNull(rule, "rule");
		Objects.requireNonNull(message, "message");
	}

	/** The violation as one line: {@code field: message}, or just the message for the whole document. */
	@Override
	public String toString() {
		return field.isEmpty() ? message : field + ": " + message;
	}
}
